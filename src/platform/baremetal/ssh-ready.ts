import { closeSync, openSync, readSync, statSync } from 'node:fs';
import ssh2 from 'ssh2';
import { detectPanics } from '../qemu/panic.js';

const FATAL = /Kernel panic - not syncing/;

const { Client } = ssh2;

export interface SshLogin {
  host: string;
  port: number;
  username: string;
  privateKey?: string;
  password?: string;
}

/** One login attempt; resolves with the host key (base64) the machine presented. */
function tryLogin(login: SshLogin, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKey = '';
    const timer = setTimeout(() => {
      client.destroy();
      reject(new Error('connect timed out'));
    }, timeoutMs + 1_000);
    client.once('ready', () => {
      clearTimeout(timer);
      client.end();
      resolve(hostKey);
    });
    client.on('error', (err) => {
      clearTimeout(timer);
      client.destroy();
      reject(err);
    });
    client.connect({
      host: login.host,
      port: login.port,
      username: login.username,
      privateKey: login.privateKey,
      password: login.password,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        hostKey = key.toString('base64');
        return true;
      },
    });
  });
}

/** Bytes in a console log so far: where to start looking for a panic of the boot to come. */
export function consoleSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The first fatal panic line a console log shows after byte `from`, if any. Only "Kernel panic -
 * not syncing" counts: a warning or call trace during boot does not stop a machine from coming up.
 */
export function consolePanic(file: string, from: number): string | undefined {
  const size = consoleSize(file);
  if (size <= from) return undefined;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size - from, 4 << 20));
    const n = readSync(fd, buf, 0, buf.length, size - buf.length);
    // The shared detector (escape codes and CRs cleaned), keeping only the fatal kind.
    const line = detectPanics(buf.subarray(0, n).toString('latin1')).find((f) => FATAL.test(f.line))?.line;
    return line?.slice(line.search(FATAL));
  } finally {
    closeSync(fd);
  }
}

/**
 * Logs in over SSH until it works or `timeoutMs` passes. `stage()` says what the machine is doing
 * (from the boot server and the console), so a timeout names where the boot stopped; `panicked()`
 * (the console) ends the wait at once when the kernel died on the way up.
 */
export async function waitForSshLogin(
  login: SshLogin,
  options: { timeoutMs: number; signal?: AbortSignal; stage: () => string; panicked?: () => string | undefined },
): Promise<string> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new Error(`aborted while waiting for SSH (${options.stage()})`);
    const panic = options.panicked?.();
    if (panic)
      throw new Error(
        `the kernel panicked ${Math.round((Date.now() - started) / 1000)} s into the boot, before SSH answered on ${login.host}:${login.port}; ${panic}`,
      );
    try {
      return await tryLogin(login, Math.min(20_000, Math.max(2_000, deadline - Date.now())));
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(
    `SSH on ${login.host}:${login.port} did not answer within ${Math.round(options.timeoutMs / 1000)} s; stage: ${options.stage()} (last SSH error: ${last})`,
  );
}
