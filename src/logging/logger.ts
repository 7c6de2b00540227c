import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
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
    for (const sink of this.sinks) sink.write(level, this.source, masked, time);
  }
}

/**
 * Appends lines to a file synchronously so that nothing is lost when the process dies. The file
 * stays open between lines (one write per line, not open/write/close); close() when done.
 */
export class FileSink implements LogSink {
  private fd: number | undefined;

  constructor(
    readonly path: string,
    private readonly minLevel: LogLevel = 'debug',
  ) {}

  write(level: LogLevel, source: string, message: string, time: Date): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    this.fd ??= this.open();
    writeSync(this.fd, `${time.toISOString()} ${level.toUpperCase().padEnd(5)} [${source}] ${message}\n`);
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
