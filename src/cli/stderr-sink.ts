import type { LogLevel, LogSink } from '../logging/logger.js';

/** Warnings and errors of a results command, on stderr. */
export class StderrSink implements LogSink {
  write(level: LogLevel, source: string, message: string): void {
    if (level === 'warn' || level === 'error')
      process.stderr.write(`${level === 'warn' ? 'warning' : level} [${source}] ${message}\n`);
  }
}
