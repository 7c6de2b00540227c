import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsErrorText } from './fs-errors.js';
import type { SecretMasker } from './secrets.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(level: LogLevel, source: string, message: string, time: Date): void;
  /**
   * The sink to use below a logger whose lines are reported elsewhere (a case's failure is the
   * console notifier's to show): a console sink returns a quieter self; absent means "same sink".
   */
  quieter?(): LogSink;
}

/** A logger writes each line to every sink it has; secrets are masked before any sink sees them. */
export class Logger {
  constructor(
    readonly source: string,
    private readonly sinks: LogSink[],
    private readonly masker: SecretMasker,
  ) {}

  child(source: string, extraSinks: LogSink[] = [], options: { quiet?: boolean } = {}): Logger {
    const inherited = options.quiet ? this.sinks.map((s) => s.quieter?.() ?? s) : this.sinks;
    return new Logger(source, [...inherited, ...extraSinks], this.masker);
  }

  /** Masks text the caller must cut or reshape first: a cut made after masking cannot split a secret. */
  mask(text: string): string {
    return this.masker.mask(text);
  }

  debug(message: string): void {
    this.emit('debug', message);
  }
  info(message: string): void {
    this.emit('info', message);
  }
  warn(message: string): void {
    this.emit('warn', message);
  }
  error(message: string): void {
    this.emit('error', message);
  }

  private emit(level: LogLevel, message: string): void {
    const masked = this.masker.mask(message);
    const time = new Date();
    for (const sink of this.sinks) {
      try {
        sink.write(level, this.source, masked, time);
      } catch (e) {
        this.sinkFailed(sink, e, time);
      }
    }
  }

  /** A log that cannot be written (full disk) is said once on the other sinks; the run goes on. */
  private sinkFailed(failed: LogSink, e: unknown, time: Date): void {
    const message = this.masker.mask(e instanceof SinkWriteError ? e.message : `a log sink failed: ${fsErrorText(e)}`);
    for (const sink of this.sinks) {
      if (sink === failed) continue;
      try {
        sink.write('error', this.source, message, time);
      } catch {
        // That one is broken too; it has said so (or will) on its own first failure.
      }
    }
  }
}

/** A file log's first failed write: the message names the file and says what went wrong. */
export class SinkWriteError extends Error {
  override name = 'SinkWriteError';
}

/**
 * Appends lines to a file synchronously so that nothing is lost when the process dies. The file
 * stays open between lines (one write per line, not open/write/close); close() when done.
 */
export class FileSink implements LogSink {
  private fd: number | undefined;
  /** Set by the first write that failed: later lines are dropped, not retried line by line. */
  private failure: string | undefined;

  constructor(
    readonly path: string,
    private readonly minLevel: LogLevel = 'debug',
  ) {}

  write(level: LogLevel, source: string, message: string, time: Date): void {
    if (ORDER[level] < ORDER[this.minLevel] || this.failure) return;
    try {
      this.fd ??= this.open();
      writeSync(this.fd, `${time.toISOString()} ${level.toUpperCase().padEnd(5)} [${source}] ${message}\n`);
    } catch (e) {
      this.failure = `cannot write ${this.path}: ${fsErrorText(e)}; this log stops here`;
      throw new SinkWriteError(this.failure);
    }
  }

  /** Why this log stopped being written, if it did. */
  get writeError(): string | undefined {
    return this.failure;
  }

  /** The directory is made only when the first open finds it missing: one syscall less per case. */
  private open(): number {
    try {
      return openSync(this.path, 'a');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(this.path), { recursive: true });
      return openSync(this.path, 'a');
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(level: LogLevel, source: string, message: string): void {
    this.lines.push(`${level} [${source}] ${message}`);
  }
}
