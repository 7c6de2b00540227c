import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    desc: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${desc}`);
    this.name = 'QmpError';
  }
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * Splits a byte stream into QMP messages. QEMU writes one JSON object per line (CRLF), but a
 * read may end mid-line, so partial lines wait for the rest.
 */
export class QmpFramer {
  private buf = '';
  push(chunk: string): Record<string, unknown>[] {
    this.buf += chunk;
    const out: Record<string, unknown>[] = [];
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) out.push(JSON.parse(line) as Record<string, unknown>);
    }
    return out;
  }
}

/**
 * A minimal QMP client: greeting, `qmp_capabilities`, commands answered in order (QMP replies
 * to commands in the order they were sent, so a FIFO of pending calls is enough), and events.
 */
export class QmpClient extends EventEmitter {
  private socket: Socket | undefined;
  private pending: Pending[] = [];
  private readonly framer = new QmpFramer();
  private closed = false;
  version: unknown;

  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const client = new QmpClient();
    await client.open(path, timeoutMs);
    return client;
  }

  private open(path: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      this.socket = socket;
      socket.setEncoding('utf8');
      const timer = setTimeout(() => fail(new Error(`QMP ${path}: no greeting within ${timeoutMs} ms`)), timeoutMs);
      let greeted = false;
      const fail = (err: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.on('error', (err) => {
        if (!greeted) fail(new Error(`QMP ${path}: ${err.message}`));
        else this.shutdown(err);
      });
      socket.on('close', () => this.shutdown(new Error('QMP connection closed')));
      socket.on('data', (chunk: string) => {
        let messages: Record<string, unknown>[];
        try {
          messages = this.framer.push(chunk);
        } catch (e) {
          return this.shutdown(new Error(`QMP: bad JSON from QEMU: ${(e as Error).message}`));
        }
        for (const msg of messages) {
          if (!greeted && 'QMP' in msg) {
            greeted = true;
            this.version = (msg.QMP as { version?: unknown }).version;
            clearTimeout(timer);
            this.execute('qmp_capabilities').then(() => resolve(), reject);
            continue;
          }
          this.dispatch(msg);
        }
      });
    });
  }

  private dispatch(msg: Record<string, unknown>): void {
    if (typeof msg.event === 'string') {
      this.emit('event', msg);
      return;
    }
    const p = this.pending.shift();
    if (!p) return;
    if ('error' in msg) {
      const e = msg.error as { class?: string; desc?: string };
      p.reject(new QmpError(p.command, e.class ?? 'Error', e.desc ?? JSON.stringify(e)));
    } else p.resolve(msg.return);
  }

  private shutdown(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.splice(0)) p.reject(new Error(`${err.message} (while running ${p.command})`));
    this.emit('close');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed || !this.socket)
      return Promise.reject(new Error(`QMP connection closed (while running ${command})`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      this.socket!.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  /** Resolves with the first event named `name` for which `match` holds. */
  waitEvent(name: string, match: (e: QmpEvent) => boolean = () => true, timeoutMs = 30_000): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        reject(new Error(`QMP: no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const onEvent = (e: QmpEvent): void => {
        if (e.event !== name || !match(e)) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve(e);
      };
      this.on('event', onEvent);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.shutdown(new Error('QMP connection closed by client'));
  }
}
