import { appendFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { startSshd, type Sshd } from '../sshd.js';
import type { GuestRequest, RunningGuest } from './guests.js';

/**
 * VMs for scale tests: each one a real loopback OpenSSH sshd (no QEMU), reached at the public IP's
 * `127.0.0.N:22` through a TCP forwarder, with the VM's SSH keys authorized for the fixture's user.
 * Runbooks against it set `admin_username` to `username`. No disks, no power actions, no serial log.
 */
export class SshdGuestBackend {
  private readonly live = new Set<{ sshd: Sshd; server: Server }>();
  /** The login the sshd fixture offers (set once the first VM starts). */
  username = '';

  async start(r: GuestRequest): Promise<RunningGuest> {
    const sshd = await startSshd();
    this.username = sshd.username;
    for (const k of r.publicKeys) appendFileSync(`${sshd.dir}/authorized_keys`, `${k}\n`);
    const server = createServer((socket) => {
      const upstream = createConnection(sshd.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(22, r.address, () => resolve());
    });
    const entry = { sshd, server };
    this.live.add(entry);
    const unsupported = (what: string) => () => Promise.reject(new Error(`the sshd backend cannot ${what}`));
    return {
      address: r.address,
      pid: undefined,
      serialLog: '',
      stop: async () => {
        this.live.delete(entry);
        server.close();
        await sshd.stop();
      },
      deallocate: unsupported('deallocate'),
      start: unsupported('start'),
      restart: unsupported('restart'),
      attachDisk: unsupported('attach disks'),
      detachDisk: unsupported('detach disks'),
      crashKernel: unsupported('crash a kernel'),
      resize: () => {
        throw new Error('the sshd backend cannot resize');
      },
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.live].map(async (e) => {
        e.server.close();
        await e.sshd.stop();
      }),
    );
    this.live.clear();
  }
}
