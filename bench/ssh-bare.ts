import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import ssh2 from 'ssh2';
import type { SshConnectionInfo } from '../src/node/types.js';

/**
 * The baseline for `npm run bench`: `n` sequential execs of `true` over one bare ssh2 connection
 * with TCP_NODELAY, no harness code at all. Returns the total ms of the exec loop (connect excluded).
 */
export async function bareSsh2Loop(conn: SshConnectionInfo, n: number): Promise<number> {
  const client = await bareConnect(conn);
  try {
    const start = performance.now();
    for (let i = 0; i < n; i++) await bareExec(client, 'true');
    return performance.now() - start;
  } finally {
    client.end();
  }
}

/** Same, with `concurrency` execs in flight at once on separate channels. */
export async function bareSsh2Parallel(conn: SshConnectionInfo, n: number, concurrency = 8): Promise<number> {
  const client = await bareConnect(conn);
  try {
    const start = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next++ < n) await bareExec(client, 'true');
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - start;
  } finally {
    client.end();
  }
}

function bareConnect(conn: SshConnectionInfo): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: conn.address, port: conn.port });
    sock.setNoDelay(true);
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client)).once('error', reject);
    client.connect({
      sock,
      username: conn.username,
      ...(conn.privateKey || conn.privateKeyFile
        ? { privateKey: conn.privateKey ?? readFileSync(conn.privateKeyFile as string) }
        : {}),
      ...(conn.password ? { password: conn.password } : {}),
    });
  });
}

function bareExec(client: ssh2.Client, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let code = -1;
      ch.on('exit', (c: number) => (code = c));
      ch.on('data', () => {});
      ch.stderr.on('data', () => {});
      ch.once('close', () => resolve(code));
    });
  });
}
