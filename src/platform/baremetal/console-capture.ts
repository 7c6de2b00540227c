import { createWriteStream, type WriteStream } from 'node:fs';
import type { Bmc, ConsoleStream } from './bmc.js';

/**
 * Keeps the machine's serial console (SOL / Redfish serial) flowing into a file in the run dir.
 * A session the BMC drops (power cycles do that) is reopened, so no boot is missed for long.
 */
export class ConsoleCapture {
  private out: WriteStream;
  private stream: ConsoleStream | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
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
    this.retry = setTimeout(() => void this.start(), 2_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.stream?.close();
    this.stream = undefined;
    await new Promise<void>((r) => this.out.end(() => r()));
  }
}
