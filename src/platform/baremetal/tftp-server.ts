import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import {
  ackBlock,
  dataPacket,
  ERR,
  errorPacket,
  errorText,
  negotiate,
  oackPacket,
  OP,
  parseRequest,
  toNetascii,
  type Request,
} from './tftp-packets.js';

/** What a TFTP path is: bytes made for this run (the iPXE script), or a file on the host. */
export type TftpSource = { data: Buffer } | { file: string };

export interface TftpServerOptions {
  listen: string;
  /** 69 for PXE firmware (root or CAP_NET_BIND_SERVICE); 0 picks a free port. */
  port: number;
  /** Maps a requested path (leading slashes removed) to what is served; undefined: not found. */
  resolve: (path: string) => TftpSource | undefined;
  /** Each finished request: the path and `200`, `404`, or why it stopped (`timeout`, `aborted: ...`). */
  onServed?: (path: string, outcome: string) => void;
  /** Retransmission timeout when the client asks for none (RFC 2349 `timeout`), default 1 s. */
  timeoutMs?: number;
  /** Retransmissions of one packet before the transfer is dropped, default 5. */
  retries?: number;
  /** Transfers at once; more requests get an error instead of unbounded sockets, default 32. */
  maxTransfers?: number;
}

// netascii needs the whole content converted; a boot file in netascii mode is a text script.
const NETASCII_LIMIT = 16 * 1024 * 1024;

/**
 * A read-only TFTP server (RFC 1350, 2347-2349) for PXE firmware that cannot speak HTTP: it hands
 * out iPXE, or the boot script and files of a machine, from the same table as the HTTP boot
 * server. Write requests are refused; every transfer runs on its own socket (its own TID).
 */
export class TftpServer {
  private socket: Socket | undefined;
  private readonly transfers = new Set<Transfer>();

  constructor(private readonly options: TftpServerOptions) {}

  async start(): Promise<void> {
    const sock = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `TFTP server cannot listen on ${this.options.listen}:${this.options.port}/udp: ${
              e.code === 'EACCES'
                ? 'port below 1024 needs root or CAP_NET_BIND_SERVICE (or set baremetal.boot_server.tftp_port)'
                : e.code === 'EADDRINUSE'
                  ? 'port in use (another TFTP server?)'
                  : e.message
            }`,
          ),
        ),
      );
      sock.bind(this.options.port, this.options.listen, () => resolve());
    });
    sock.on('error', () => undefined);
    sock.on('message', (msg, peer) => void this.request(msg, peer));
    this.socket = sock;
  }

  get boundPort(): number {
    return this.socket?.address().port ?? 0;
  }

  private async request(msg: Buffer, peer: RemoteInfo): Promise<void> {
    const main = this.socket;
    if (!main) return;
    const req = parseRequest(msg);
    const reply = (code: number, text: string) => main.send(errorPacket(code, text), peer.port, peer.address);
    if (typeof req === 'string') return reply(ERR.ILLEGAL_OP, req);
    const path = req.filename.replace(/^\/+/, '');
    if (req.op === OP.WRQ) return reply(ERR.ACCESS, 'read-only server');
    if (req.mode !== 'octet' && req.mode !== 'netascii') return reply(ERR.ILLEGAL_OP, `mode ${req.mode}`);
    if (this.transfers.size >= (this.options.maxTransfers ?? 32)) return reply(ERR.NOT_DEFINED, 'server busy');
    const source = this.options.resolve(path);
    if (!source) {
      this.options.onServed?.(path, '404');
      return reply(ERR.NOT_FOUND, 'file not found');
    }
    const t = new Transfer(peer, req, this.options);
    this.transfers.add(t);
    const outcome = await t.run(source).catch((e: Error) => `aborted: ${e.message}`);
    this.transfers.delete(t);
    this.options.onServed?.(path, outcome);
  }

  async close(): Promise<void> {
    for (const t of this.transfers) t.stop();
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** One read transfer, lock-step: a packet out, its ACK back (or a retransmission on timeout). */
class Transfer {
  private readonly sock = createSocket('udp4');
  private timer: NodeJS.Timeout | undefined;
  private finish: ((outcome: string) => void) | undefined;

  constructor(
    private readonly peer: RemoteInfo,
    private readonly req: Request,
    private readonly options: TftpServerOptions,
  ) {}

  stop(): void {
    this.finish?.('aborted: server closing');
  }

  async run(source: TftpSource): Promise<string> {
    let file: FileHandle | undefined;
    this.sock.on('error', () => undefined);
    await new Promise<void>((r) => this.sock.bind(0, this.options.listen, () => r()));
    try {
      let data: Buffer | undefined;
      let size = 0;
      if ('data' in source) data = source.data;
      else if (this.req.mode === 'netascii') {
        if ((await stat(source.file)).size > NETASCII_LIMIT) throw new Error('too large for netascii');
        data = await readFile(source.file);
      } else {
        file = await open(source.file, 'r');
        size = (await file.stat()).size;
      }
      if (data && this.req.mode === 'netascii') data = toNetascii(data);
      if (data) size = data.length;
      const deal = negotiate(this.req.options, size, this.options.timeoutMs ?? 1000);
      const read = async (block: number): Promise<Buffer> => {
        const at = (block - 1) * deal.blksize;
        const len = Math.max(0, Math.min(deal.blksize, size - at));
        if (data) return data.subarray(at, at + len);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await file!.read(buf, 0, len, at);
        return buf.subarray(0, bytesRead);
      };
      return await this.exchange(deal, read);
    } catch (e) {
      const text = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
      const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? ERR.NOT_FOUND : ERR.NOT_DEFINED;
      await new Promise<void>((r) =>
        this.sock.send(errorPacket(code, text), this.peer.port, this.peer.address, () => r()),
      );
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? '404' : `aborted: ${text}`;
    } finally {
      clearTimeout(this.timer);
      await file?.close();
      this.sock.close();
    }
  }

  private exchange(deal: ReturnType<typeof negotiate>, read: (block: number) => Promise<Buffer>): Promise<string> {
    return new Promise((resolve) => {
      let block = deal.accepted.size ? 0 : 1;
      let packet: Buffer;
      let last = false;
      let tries = 0;
      this.finish = (outcome) => {
        clearTimeout(this.timer);
        this.finish = undefined;
        resolve(outcome);
      };
      const send = () => {
        this.sock.send(packet, this.peer.port, this.peer.address, () => undefined);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          if (++tries > (this.options.retries ?? 5)) return this.finish?.('timeout');
          send();
        }, deal.timeoutMs);
      };
      const next = async () => {
        if (block === 0) packet = oackPacket(deal.accepted);
        else {
          const payload = await read(block);
          last = payload.length < deal.blksize;
          packet = dataPacket(block, payload);
        }
        tries = 0;
        send();
      };
      this.sock.on('message', (msg, from) => {
        if (from.port !== this.peer.port || from.address !== this.peer.address) {
          this.sock.send(errorPacket(ERR.UNKNOWN_TID, 'unknown transfer ID'), from.port, from.address);
          return;
        }
        const gaveUp = errorText(msg);
        if (gaveUp !== undefined) return this.finish?.(`aborted: client error ${gaveUp}`);
        // A duplicate or late ACK is ignored, not answered (Sorcerer's Apprentice, RFC 1123 4.2.3.1).
        if (ackBlock(msg) !== (block & 0xffff)) return;
        if (last) return this.finish?.('200');
        block++;
        next().catch((e: Error) => this.finish?.(`aborted: ${e.message}`));
      });
      next().catch((e: Error) => this.finish?.(`aborted: ${e.message}`));
    });
  }
}
