import { shellQuote } from '../shell/quote.js';

/** How `sudo: true` is honoured on a node. */
export type SudoMode =
  | { kind: 'root' } // already root: run the command as is (sudo may not even be installed)
  | { kind: 'nopasswd' }
  | { kind: 'password'; password: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The POSIX sh script for a command: env exports, cwd, then the command itself. */
export function commandBody(command: string, options: { cwd?: string; env?: Record<string, string> } = {}): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  // `cd x && cmd` would bind only to the first part of a compound command.
  if (options.cwd) lines.push(`cd ${shellQuote(options.cwd)} || exit 1`);
  lines.push(command);
  return lines.join('\n');
}

/** `sh -c BODY`, behind sudo when asked; sudo's env_reset is why exports live inside BODY. */
export function shellInvocation(body: string, sudo: SudoMode | undefined): string {
  const sh = `sh -c ${shellQuote(body)}`;
  if (!sudo || sudo.kind === 'root') return sh;
  if (sudo.kind === 'nopasswd') return `sudo -n -- ${sh}`;
  // -k ignores cached credentials so sudo always reads the password line (and never passes it
  // on to the command's stdin); -p '' keeps the prompt out of stderr.
  return `sudo -k -S -p '' -- ${sh}`;
}

/** Bytes for the command's stdin: the sudo password line first when sudo needs it. */
export function stdinFor(sudo: SudoMode | undefined, input: string | Buffer | undefined): Buffer | undefined {
  const data = input === undefined ? undefined : Buffer.isBuffer(input) ? input : Buffer.from(input);
  if (sudo?.kind !== 'password') return data;
  const pw = Buffer.from(`${sudo.password}\n`);
  return data ? Buffer.concat([pw, data]) : pw;
}
