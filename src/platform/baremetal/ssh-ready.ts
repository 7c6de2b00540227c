import ssh2 from 'ssh2';

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
