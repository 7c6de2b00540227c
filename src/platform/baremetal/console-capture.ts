import { createWriteStream, type WriteStream } from 'node:fs';
import type { Bmc, ConsoleStream } from './bmc.js';

const MIN_REOPEN_MS = 100;
const MAX_REOPEN_MS = 2_000;

/**
 * Keeps the machine's serial console (SOL / Redfish serial) flowing into a file in the run dir.
 * A session the BMC drops (power cycles do that) is reopened at once and then with a growing pause:
 * the first kernel lines ("Linux version", the command line) come within a second of power-on, and
 * panic detection needs them, but a BMC that refuses every session must not be hammered.
 */
export class ConsoleCapture {
  private out: WriteStream;
  private stream: ConsoleStream | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private delayMs = MIN_REOPEN_MS;
  bytes = 0;
  lastError: string | undefined;

  constructor(
    private readonly bmc: Bmc,
    readonly file: string,
    private readonly log: (line: string) => void,
  ) {
    this.out = createWriteStream(file, { flags: 'a' });
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    try {
      this.stream = await this.bmc.openConsole(
        (d) => {
          this.bytes += d.length;
          this.delayMs = MIN_REOPEN_MS;
          this.out.write(d);
        },
        (message) => this.ended(message),
      );
    } catch (e) {
      this.ended((e as Error).message);
    }
  }

  private ended(message: string): void {
    this.stream = undefined;
    if (this.stopped) return;
    if (message !== this.lastError) this.log(`console: ${message}; reopening`);
    this.lastError = message;
    this.retry = setTimeout(() => void this.start(), this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, MAX_REOPEN_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.stream?.close();
    this.stream = undefined;
    await new Promise<void>((r) => this.out.end(() => r()));
  }
}
