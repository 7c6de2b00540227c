import { spawn } from 'node:child_process';
import { BmcError, type BootDevice, type Bmc, type ConsoleStream, type PowerState } from './bmc.js';
import type { IpmiConfig } from './schema.js';

/**
 * A BMC spoken to with `ipmitool -I lanplus`. The password goes through the environment
 * (`-E` reads IPMI_PASSWORD), never the command line, so `ps` and logs cannot show it.
 */
export class IpmiBmc implements Bmc {
  readonly describe: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly machine: string,
    private readonly config: IpmiConfig,
  ) {
    this.describe = `ipmi ${config.host}:${config.port ?? 623}`;
    this.timeoutMs = (config.timeout ?? 30) * 1000;
  }

  private args(command: string[], verbose = true): string[] {
    const c = this.config;
    // -v makes ipmitool say why a session failed (RAKP errors = bad credentials) on stderr.
    const a = [
      ...(verbose ? ['-v'] : []),
      '-I',
      'lanplus',
      '-H',
      c.host,
      '-p',
      String(c.port ?? 623),
      '-U',
      c.user,
      '-E',
    ];
    if (c.cipher_suite !== undefined) a.push('-C', String(c.cipher_suite));
    // One retry at 2 s instead of ipmitool's defaults: the platform does its own bounded waiting.
    a.push('-N', '2', '-R', '2');
    return [...a, ...command];
  }

  private fail(kind: BmcError['kind'], detail: string): BmcError {
    return new BmcError(kind, this.machine, this.describe, detail);
  }

  /** Runs one ipmitool command; classifies its failure into one line. */
  run(command: string[], signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(this.fail('timeout', `aborted before ${command.join(' ')}`));
      const child = spawn('ipmitool', this.args(command), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, IPMI_PASSWORD: this.config.password },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const kill = (): void => void child.kill('SIGKILL');
      const timer = setTimeout(kill, this.timeoutMs);
      signal?.addEventListener('abort', kill, { once: true });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(this.fail('protocol', `cannot run ipmitool: ${e.message} (apt-get install ipmitool)`));
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', kill);
        if (code === 0) return resolve(out);
        const what = `\`${command.join(' ')}\``;
        if (signal?.aborted) return reject(this.fail('timeout', `${what} aborted`));
        if (sig) return reject(this.fail('timeout', `no answer to ${what} within ${this.timeoutMs / 1000} s`));
        reject(this.classify(what, err || out));
      });
    });
  }

  private classify(what: string, text: string): BmcError {
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/Unable to Get Channel Cipher Suites/.test(l));
    const last =
      lines.filter((l) => !/^(Loading IANA|Running Get|>>|<<|Using|Get Auth Capab)/.test(l)).at(-1) ?? 'no output';
    const rejected = lines.find((l) =>
      /RAKP 2 HMAC is invalid|unauthorized name|RAKP \d message indicates an error/i.test(l),
    );
    if (rejected)
      return this.fail('login', `login rejected for user ${this.config.user} (${rejected.replace(/^>\s*/, '')})`);
    if (
      /Get Auth Capabilities error|Unable to establish|No response|Insufficient resources|Connection refused/i.test(
        text,
      )
    )
      return this.fail('timeout', `no answer to ${what} (${last})`);
    return this.fail('protocol', `${what} failed: ${last}`);
  }

  async powerState(signal?: AbortSignal): Promise<PowerState> {
    const out = await this.run(['chassis', 'power', 'status'], signal);
    if (/is on/i.test(out)) return 'on';
    if (/is off/i.test(out)) return 'off';
    throw this.fail('protocol', `unexpected power status: ${out.trim()}`);
  }

  async powerOn(signal?: AbortSignal): Promise<void> {
    await this.run(['chassis', 'power', 'on'], signal);
  }

  async powerOff(signal?: AbortSignal): Promise<void> {
    await this.run(['chassis', 'power', 'off'], signal);
  }

  async powerCycle(signal?: AbortSignal): Promise<void> {
    await this.run(['chassis', 'power', 'cycle'], signal);
  }

  async setBootDevice(device: BootDevice, signal?: AbortSignal): Promise<void> {
    await this.run(['chassis', 'bootdev', device === 'pxe' ? 'pxe' : 'disk'], signal);
  }

  /**
   * `sol activate` with stdin held open (EOF would end the session); an old session left by a
   * crashed run is deactivated first. The caller restarts it when it ends on its own.
   */
  async openConsole(append: (text: Buffer) => void, onError: (message: string) => void): Promise<ConsoleStream> {
    await this.run(['sol', 'deactivate']).catch(() => undefined);
    const child = spawn('ipmitool', this.args(['sol', 'activate'], false), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, IPMI_PASSWORD: this.config.password },
    });
    let closing = false;
    let err = '';
    child.stdout.on('data', append);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => {});
    const exited = new Promise<void>((resolve) =>
      child.on('close', (code) => {
        if (!closing) onError(`SOL session ended (exit ${code}): ${lastLine(err)}`);
        resolve();
      }),
    );
    child.on('error', (e) => onError(`cannot run ipmitool: ${e.message}`));
    return {
      close: async () => {
        closing = true;
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        child.kill('SIGKILL');
        await this.run(['sol', 'deactivate']).catch(() => undefined);
      },
    };
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/Cipher Suites|tcgetattr/.test(l))
      .at(-1) ?? 'no output'
  );
}
