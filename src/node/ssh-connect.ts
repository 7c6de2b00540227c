import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Logger } from '../logging/logger.js';
import { HostKeyMismatchError, SshAuthError } from './ssh-errors.js';
import { openJumpChain } from './ssh-jump.js';
import { NodeUnreachableError, type SshConnectionInfo } from './types.js';

export interface ConnectRequest {
  nodeName: string;
  info: SshConnectionInfo;
  /** Key contents (privateKeyFile already read). */
  privateKey: string | Buffer | undefined;
  /** base64 raw host key to insist on. */
  expectedHostKey: string | undefined;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  /** Cap for one attempt (TCP connect + key exchange + auth). */
  attemptTimeoutMs: number;
  keepaliveIntervalMs: number;
  log: Logger;
  /** Stops retrying (the node was closed). */
  signal?: AbortSignal;
}

export interface Connected {
  client: ssh2.Client;
  /** base64 of the raw host key the server presented. */
  hostKey: string;
}

/**
 * Connects with exponential backoff until the deadline. Slirp hostfwd accepts TCP before the
 * guest's sshd exists and then the key exchange fails, so handshake errors are retried too;
 * only a rejected credential or a wrong host key fails at once.
 */
export async function connectWithRetry(req: ConnectRequest): Promise<Connected> {
  const started = Date.now();
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    const left = req.deadline - Date.now();
    if (req.signal?.aborted)
      throw new NodeUnreachableError(req.nodeName, 'connecting was cancelled: the node was closed');
    try {
      return await connectOnce(req, Math.max(1000, Math.min(req.attemptTimeoutMs, left)), Math.max(1000, left));
    } catch (e) {
      if (e instanceof NodeUnreachableError) throw e;
      const message = (e as Error).message;
      const remaining = req.deadline - Date.now();
      if (remaining <= 0) {
        throw new NodeUnreachableError(
          req.nodeName,
          `cannot connect to ${target(req.info)} within ${Math.round((Date.now() - started) / 1000)} s ` +
            `(${attempt} attempt${attempt > 1 ? 's' : ''}): ${message}`,
        );
      }
      req.log.debug(
        `ssh connect attempt ${attempt} to ${target(req.info)} failed: ${message}; retrying in ${delay} ms`,
      );
      await pause(Math.min(delay, remaining), req.signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function target(info: SshConnectionInfo): string {
  const via = info.jumpHosts?.length ? ` via ${info.jumpHosts.map((h) => `${h.address}:${h.port}`).join(', ')}` : '';
  return `${info.username}@${info.address}:${info.port}${via}`;
}

/**
 * `answerMs` bounds the wait for the server's host key (a slirp forward accepts TCP before sshd
 * exists); after that the attempt may use `wholeMs`, because dropping a connection mid-way through
 * authentication makes sshd log `fatal: ssh_packet_send_debug: Broken pipe` at crit priority.
 */
async function connectOnce(req: ConnectRequest, answerMs: number, wholeMs: number): Promise<Connected> {
  const { info } = req;
  const hops = info.jumpHosts ?? [];
  const chain = hops.length
    ? await openJumpChain({
        nodeName: req.nodeName,
        hops,
        destination: info,
        timeoutMs: wholeMs,
        keepaliveIntervalMs: req.keepaliveIntervalMs,
        signal: req.signal,
      })
    : undefined;
  const connected = handshake(req, answerMs, wholeMs, chain?.stream ?? tcpSocket(info));
  connected.then(
    ({ client }) => client.once('close', () => chain?.close()),
    () => chain?.close(),
  );
  return connected;
}

/** Our own socket so that Nagle is off: 46.7 ms per trivial command with it, 3.6 ms without. */
function tcpSocket(info: SshConnectionInfo): Duplex {
  const sock = netConnect({ host: info.address, port: info.port });
  sock.setNoDelay(true);
  return sock;
}

function handshake(req: ConnectRequest, answerMs: number, wholeMs: number, sock: Duplex): Promise<Connected> {
  const { info } = req;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented = '';
    let mismatch = false;
    let settled = false;
    const methods: string[] = [];
    // What the server said first: a reply that is not an SSH version line means a wrong port
    // (an HTTP server, say), which no retry will fix.
    let greeting = '';
    sock.on('data', (d: Buffer) => {
      if (greeting.length < 256) greeting += d.toString('latin1').slice(0, 256 - greeting.length);
    });
    const onCancel = (): void => fail(new Error('cancelled'));
    let timer = setTimeout(() => fail(new Error(`no SSH answer within ${answerMs} ms`)), answerMs);
    req.signal?.addEventListener('abort', onCancel, { once: true });
    const fail = (cause: Error): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      const err = notSsh(greeting) ? new NodeUnreachableError(req.nodeName, notSshMessage(info, greeting)) : cause;
      req.signal?.removeEventListener('abort', onCancel);
      client.end();
      sock.destroy();
      reject(err);
    };
    client.on('error', (err: Error & { level?: string }) => {
      if (mismatch) fail(new HostKeyMismatchError(req.nodeName, target(info), req.expectedHostKey ?? '', presented));
      else if (err.level === 'client-authentication') {
        fail(new SshAuthError(req.nodeName, target(info), methods.join(', '), err.message));
      } else fail(err);
    });
    client.once('close', () => fail(new Error('connection closed during the SSH handshake')));
    client.once('ready', () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCancel);
      if (settled) return;
      settled = true;
      resolve({ client, hostKey: presented });
    });

    const agent = info.useAgent || (!req.privateKey && !info.password) ? process.env.SSH_AUTH_SOCK : undefined;
    if (req.privateKey) methods.push('publickey');
    if (info.password) methods.push('password');
    if (agent) methods.push('agent');
    const config: ssh2.ConnectConfig = {
      sock,
      username: info.username,
      ...(req.privateKey ? { privateKey: req.privateKey } : {}),
      ...(info.password ? { password: info.password } : {}),
      ...(agent ? { agent } : {}),
      readyTimeout: wholeMs + 1000,
      keepaliveInterval: req.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        presented = key.toString('base64');
        clearTimeout(timer);
        timer = setTimeout(() => fail(new Error(`SSH authentication not done within ${wholeMs} ms`)), wholeMs);
        mismatch = req.expectedHostKey !== undefined && req.expectedHostKey !== presented;
        return !mismatch;
      },
    };
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 throws synchronously for an unusable key (encrypted, unknown format): no retry helps.
      fail(
        new SshAuthError(
          req.nodeName,
          target(info),
          methods.join(', '),
          `unusable credentials: ${(e as Error).message}`,
        ),
      );
    }
  });
}

/** True once the server has sent a first line that is not (the start of) `SSH-2.0-...`. */
function notSsh(greeting: string): boolean {
  const firstLine = greeting.split('\n')[0] ?? '';
  return greeting.length > 0 && !/^SSH-/.test(greeting) && !'SSH-'.startsWith(firstLine) && !/\nSSH-/.test(greeting);
}

function notSshMessage(info: SshConnectionInfo, greeting: string): string {
  const firstLine = (greeting.split(/\r?\n/)[0] ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
  return `${target(info)} is not an SSH server: it answered ${JSON.stringify(firstLine)} (is the port right?)`;
}
