import type { Logger } from '../logging/logger.js';
import type { ExecOptions, ExecResult } from './types.js';

/** Output kept per stream in the node log; the rest is summarised (dmesg can be megabytes). */
const MAX_LOGGED = 16 * 1024;

export function logCommandStart(log: Logger, id: number, command: string, options: ExecOptions): void {
  const extras: string[] = [];
  if (options.cwd) extras.push(`cwd=${options.cwd}`);
  // Values may be secrets the masker does not know about: names only.
  if (options.env && Object.keys(options.env).length) extras.push(`env=${Object.keys(options.env).join(',')}`);
  if (options.input !== undefined) extras.push(`stdin=${Buffer.byteLength(options.input)}B`);
  if (options.timeoutMs) extras.push(`timeout=${options.timeoutMs}ms`);
  log.debug(`[#${id}] ${options.sudo ? 'sudo ' : ''}$ ${command}${extras.length ? `  (${extras.join(' ')})` : ''}`);
}

/** Non-zero (or unexpected) exits are warnings unless the caller said failures are expected. */
export function logCommandEnd(
  log: Logger,
  id: number,
  result: ExecResult,
  options: ExecOptions,
  expected: number[] | undefined,
  binaryStdoutBytes?: number,
): void {
  const ok = expected ? expected.includes(result.exitCode) : result.exitCode === 0;
  const status = result.timedOut
    ? `timed out after ${result.durationMs} ms (killed)`
    : `exit ${result.exitCode}${result.signal ? ` (signal ${result.signal})` : ''} in ${result.durationMs} ms`;
  const parts = [`[#${id}] ${status}`];
  if (binaryStdoutBytes !== undefined) parts.push(`stdout: ${binaryStdoutBytes} bytes (not logged)`);
  else if (result.stdout) parts.push(`stdout:\n${clip(result.stdout)}`);
  if (result.stderr) parts.push(`stderr:\n${clip(result.stderr)}`);
  const message = parts.join('\n');
  if (!ok && !options.noErrorLog) log.warn(`${message}\ncommand: ${options.sudo ? 'sudo ' : ''}${result.command}`);
  else log.debug(message);
}

function clip(text: string): string {
  const t = text.replace(/\n$/, '');
  if (t.length <= MAX_LOGGED) return t;
  return `${t.slice(0, MAX_LOGGED / 2)}\n... ${t.length - MAX_LOGGED} characters not logged ...\n${t.slice(-MAX_LOGGED / 2)}`;
}

export function expectedCodes(options: ExecOptions): number[] | undefined {
  const e = options.expectedExitCode;
  if (e === undefined) return undefined;
  return Array.isArray(e) ? e : [e];
}
