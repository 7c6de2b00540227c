import ssh2 from 'ssh2';

type Client = ssh2.Client;
const { Client } = ssh2;

export interface SshTarget {
  /** Default 127.0.0.1. */
  host?: string;
  port: number;
  username: string;
  privateKey: string;
}

/** A connected ssh2 client with a promise-returning exec, used only during deploy. */
export class BootSsh {
  constructor(
    readonly client: Client,
    /** base64 of the raw host key the guest presented. */
    readonly hostKey: string,
  ) {}

  exec(command: string, timeoutMs = 60_000, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${command}`)), timeoutMs);
      this.client.exec(command, (err, stream) => {
        if (err) {
          clearTimeout(timer);
          return reject(err);
        }
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        });
        stream.end(input);
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

/**
 * One attempt. `answerMs` bounds the wait for the guest's sshd to present its host key (slirp
 * accepts TCP long before sshd exists); once it has, the attempt may take up to `wholeMs`. Giving
 * up mid-authentication would make sshd log `fatal: ssh_packet_send_debug: Broken pipe` at crit,
 * which the journal checks rightly flag: the harness must not cause what its checks look for.
 */
function connectOnce(target: SshTarget, answerMs: number, wholeMs: number): Promise<BootSsh> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKey = '';
    const giveUp = (why: string) => () => {
      client.destroy();
      reject(new Error(why));
    };
    let timer = setTimeout(giveUp('no SSH answer'), answerMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(new BootSsh(client, hostKey));
    });
    client.on('error', (err) => {
      clearTimeout(timer);
      client.destroy();
      reject(err);
    });
    client.connect({
      host: target.host ?? '127.0.0.1',
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: wholeMs + 1_000,
      hostVerifier: (key: Buffer) => {
        hostKey = key.toString('base64');
        clearTimeout(timer);
        timer = setTimeout(giveUp('SSH authentication timed out'), wholeMs);
        return true;
      },
    });
  });
}

/**
 * Retries until the guest's sshd accepts the key. Slirp accepts TCP before the guest is up, so a
 * connection can hang in key exchange; each attempt has its own short deadline.
 */
export async function waitForSsh(
  target: SshTarget,
  options: { timeoutMs: number; signal?: AbortSignal; stillRunning: () => string | undefined },
): Promise<BootSsh> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new Error('aborted while waiting for SSH');
    const dead = options.stillRunning();
    if (dead) throw new Error(`the VM stopped while waiting for SSH (${dead})`);
    try {
      const left = Math.max(2_000, deadline - Date.now());
      return await connectOnce(target, Math.min(20_000, left), left);
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `SSH on ${target.host ?? '127.0.0.1'}:${target.port} not ready after ${Math.round(options.timeoutMs / 1000)} s (last error: ${last})`,
  );
}
