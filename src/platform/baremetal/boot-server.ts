import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TftpServer, type TftpSource } from './tftp-server.js';

/** What one machine network-boots: files by name, and the iPXE script that loads them. */
export interface BootFiles {
  /** Served as /<machine>/boot.ipxe. */
  script: (baseUrl: string) => string;
  /** Served as /<machine>/<name>. */
  files: Record<string, string>;
}

/** TFTP beside HTTP, for PXE firmware that loads its first file over TFTP only. */
export interface TftpSettings {
  port: number;
  /** Where iPXE's own binaries are (Debian's `ipxe` package), served at the TFTP root for chain-loading. */
  ipxeDir: string;
}

/** iPXE builds a PXE ROM or UEFI firmware chain-loads: undionly.kpxe (BIOS), ipxe.efi/snponly.efi (UEFI). */
const IPXE_BINARIES = ['undionly.kpxe', 'ipxe.pxe', 'ipxe.efi', 'snponly.efi'];

/**
 * The server lisa runs for network boot: over HTTP, /<machine>/boot.ipxe (point the DHCP filename
 * or an iPXE chain at it) plus the kernel and initrd it names; over TFTP when asked, the same paths
 * and iPXE itself. Only what the runbook lists is served.
 */
export class BootServer {
  private server: Server | undefined;
  private tftpServer: TftpServer | undefined;
  private readonly machines = new Map<string, BootFiles>();
  /** Requests served, for the log: `server1/kernel 200`, `server1/boot.ipxe 200 tftp`. */
  readonly served: string[] = [];
  baseUrl = '';

  constructor(
    private readonly listen: string,
    private readonly port: number,
    private readonly advertisedUrl?: string,
    private readonly tftp?: TftpSettings,
  ) {}

  set(machine: string, files: BootFiles): void {
    this.machines.set(machine, files);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req.url ?? '/', res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `boot server cannot listen on ${this.listen}:${this.port}: ${e.code === 'EADDRINUSE' ? 'port in use (another run? set baremetal.boot_server.port)' : e.message}`,
          ),
        ),
      );
      server.listen(this.port, this.listen, () => resolve());
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    this.baseUrl = (this.advertisedUrl ?? `http://${this.listen}:${port}`).replace(/\/+$/, '');
    if (this.tftp)
      await this.startTftp(this.tftp).catch(async (e: unknown) => {
        await this.close();
        throw e;
      });
  }

  private async startTftp(settings: TftpSettings): Promise<void> {
    const tftp = new TftpServer({
      listen: this.listen,
      port: settings.port,
      resolve: (path) => this.tftpSource(path, settings.ipxeDir),
      onServed: (path, outcome) => this.served.push(`${path} ${outcome} tftp`),
    });
    await tftp.start();
    this.tftpServer = tftp;
  }

  private tftpSource(path: string, ipxeDir: string): TftpSource | undefined {
    if (IPXE_BINARIES.includes(path)) {
      const file = join(ipxeDir, path);
      return existsSync(file) ? { file } : undefined;
    }
    const [machine = '', name = '', ...rest] = path.split('/');
    const entry = this.machines.get(machine);
    if (!entry || rest.length) return undefined;
    if (name === 'boot.ipxe') return { data: Buffer.from(entry.script(`${this.baseUrl}/${machine}`)) };
    const file = entry.files[name];
    return file ? { file } : undefined;
  }

  get boundPort(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get tftpPort(): number {
    return this.tftpServer?.boundPort ?? 0;
  }

  private async handle(url: string, res: import('node:http').ServerResponse): Promise<void> {
    const [, machine = '', name = ''] = decodeURIComponent(url.split('?')[0]!).split('/');
    const entry = this.machines.get(machine);
    const done = (code: number, body?: string): void => {
      this.served.push(`${machine}/${name} ${code}`);
      res.writeHead(code, { 'content-type': 'text/plain' }).end(body);
    };
    if (!entry) return done(404, 'no such machine\n');
    if (name === 'boot.ipxe') return done(200, entry.script(`${this.baseUrl}/${machine}`));
    const path = entry.files[name];
    if (!path) return done(404, 'not served\n');
    try {
      const st = await stat(path);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size });
      this.served.push(`${machine}/${name} 200`);
      createReadStream(path).pipe(res);
    } catch {
      done(404, 'missing\n');
    }
  }

  async close(): Promise<void> {
    const tftp = this.tftpServer;
    this.tftpServer = undefined;
    await tftp?.close();
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/** The generated iPXE script of a `pxe: {kernel, initrd, cmdline}` machine. */
export function ipxeScript(cmdline: string, hasInitrd: boolean): (base: string) => string {
  return (base) =>
    [
      '#!ipxe',
      `kernel ${base}/kernel ${cmdline}`.trimEnd(),
      ...(hasInitrd ? [`initrd ${base}/initrd`] : []),
      'boot',
      '',
    ].join('\n');
}
