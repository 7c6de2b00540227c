import { createServer } from 'node:net';

/** Ports handed out by this process and not yet released; the kernel may offer the same free port twice. */
const taken = new Set<number>();

/** A port the kernel reports free on 127.0.0.1 right now (someone may take it a moment later). */
export function anyFreeLoopbackPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

/** A loopback TCP port that is free right now (QEMU binds it a moment later; callers retry on a clash). */
export async function freeLoopbackPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await anyFreeLoopbackPort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port found');
}

export function releasePort(port: number): void {
  taken.delete(port);
}
