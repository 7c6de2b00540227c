import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { SshAuthError } from './ssh-errors.js';
import { NodeUnreachableError, type JumpHost } from './types.js';

export type { JumpHost } from './types.js';

/** The open hops and the forwarded stream that reaches the destination through the last one. */
export interface JumpChain {
  stream: Duplex;
  /** Closes every hop, last first. */
  close(): void;
}

export interface JumpRequest {
  nodeName: string;
  hops: readonly JumpHost[];
  destination: { address: string; port: number };
  /** Cap for the whole chain: every hop's connect and authentication, and the last forward. */
  timeoutMs: number;
  keepaliveIntervalMs: number;
  signal?: AbortSignal;
}

/** Names a hop the way every error about it does: `jump host 2 of 3 (user@addr:port)`. */
export function hopName(hops: readonly JumpHost[], index: number): string {
  const h = hops[index]!;
  return `jump host ${index + 1} of ${hops.length} (${h.username}@${h.address}:${h.port})`;
}

/**
 * Connects to the first hop over TCP, to each later hop through a direct-tcpip channel of the one
 * before (what `ssh -J` does), and opens the channel to the destination through the last hop. A
 * rejected credential, a wrong host key or an unreadable key file throws NodeUnreachableError (no
 * retry helps); anything else throws a plain Error naming the hop, which the caller may retry.
 */
export async function openJumpChain(req: JumpRequest): Promise<JumpChain> {
  const clients: ssh2.Client[] = [];
  const close = (): void => {
    // destroy, not end: the connection through them is gone, nothing is left to flush.
    for (const c of clients.reverse()) c.destroy();
    clients.length = 0;
  };
  const deadline = Date.now() + req.timeoutMs;
  try {
    let stream: Duplex | undefined;
    for (let i = 0; i < req.hops.length; i++) {
      clients.push(await connectHop(req, i, stream, Math.max(1000, deadline - Date.now())));
      stream = await forward(req, i, clients[i]!, i + 1 < req.hops.length ? req.hops[i + 1]! : req.destination);
    }
    if (!stream) throw new Error('openJumpChain needs at least one hop');
    const last = stream;
    last.once('close', close);
    return { stream: last, close };
  } catch (e) {
    close();
    throw e;
  }
}

function tcp(hop: JumpHost): Duplex {
  const sock = netConnect({ host: hop.address, port: hop.port });
  sock.setNoDelay(true);
  return sock;
}

/** `through` is the channel from the hop before; the first hop is reached over TCP. */
async function connectHop(
  req: JumpRequest,
  index: number,
  through: Duplex | undefined,
  timeoutMs: number,
): Promise<ssh2.Client> {
  const hop = req.hops[index]!;
  const name = hopName(req.hops, index);
  const privateKey = hop.privateKey ?? (hop.privateKeyFile ? await readKey(req, name, hop.privateKeyFile) : undefined);
  // Opened after the last await, so that ssh2 is listening before a connect error can arrive.
  const sock = through ?? tcp(hop);
  const methods = [privateKey ? 'publickey' : '', hop.password ? 'password' : ''].filter(Boolean);
  const agent = !privateKey && !hop.password ? process.env.SSH_AUTH_SOCK : undefined;
  if (agent) methods.push('agent');
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented = '';
    let settled = false;
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      if (!err) return resolve(client);
      client.end();
      sock.destroy();
      reject(err);
    };
    const onAbort = (): void => finish(new Error(`cancelled while connecting to ${name}`));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new Error(`${name}: no SSH session within ${timeoutMs} ms`)), timeoutMs);
    client.on('error', (err: Error & { level?: string }) => {
      if (hop.hostKey !== undefined && presented && presented !== hop.hostKey) {
        finish(new NodeUnreachableError(req.nodeName, `host key mismatch at ${name}: it presented ${presented}`));
      } else if (err.level === 'client-authentication') {
        finish(new SshAuthError(req.nodeName, name, methods.join(', '), err.message));
      } else finish(new Error(`${name}: ${err.message}`));
    });
    client.once('close', () => finish(new Error(`${name} closed the connection during the SSH handshake`)));
    client.once('ready', () => finish());
    try {
      client.connect({
        sock,
        username: hop.username,
        ...(privateKey ? { privateKey } : {}),
        ...(hop.password ? { password: hop.password } : {}),
        ...(agent ? { agent } : {}),
        readyTimeout: timeoutMs + 1000,
        keepaliveInterval: req.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = key.toString('base64');
          return hop.hostKey === undefined || hop.hostKey === presented;
        },
      });
    } catch (e) {
      finish(new SshAuthError(req.nodeName, name, methods.join(', '), `unusable credentials: ${(e as Error).message}`));
    }
  });
}

/** A direct-tcpip channel from `client` (hop `index`) to the next hop or the destination. */
function forward(
  req: JumpRequest,
  index: number,
  client: ssh2.Client,
  to: { address: string; port: number },
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.address, to.port, (err, channel) => {
      if (err) {
        const what = index + 1 < req.hops.length ? hopName(req.hops, index + 1) : `${to.address}:${to.port}`;
        reject(new Error(`${hopName(req.hops, index)} cannot open a connection to ${what}: ${err.message}`));
        return;
      }
      // The far end closed the TCP connection (the node's sshd died, or the next hop's): OpenSSH
      // only half-closes the channel, and the SSH client on it would wait for keepalives to fail.
      channel.once('end', () => channel.destroy());
      resolve(channel);
    });
  });
}

async function readKey(req: JumpRequest, name: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new NodeUnreachableError(
      req.nodeName,
      `cannot read the private key file ${file} of ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
