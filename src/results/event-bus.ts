import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import type { EventListener, RunEvent } from './events.js';

export type EventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'time'> : never) : never;

/**
 * The one stream every consumer reads. Each event is masked, appended to events.jsonl synchronously
 * (so a crash mid-run loses no finished result) and then handed to the listeners in order.
 * A listener that throws is logged and kept; one broken notifier must not stop the run.
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];
  private chain: Promise<void> = Promise.resolve();
  private fd: number | undefined;
  /** Bytes of whole records in events.jsonl: a failed write is cut back to here. */
  private size = 0;
  private failure: string | undefined;

  constructor(
    private readonly eventsFile: string,
    private readonly masker: SecretMasker,
    private readonly log: Logger,
  ) {}

  private readonly transforms: ((e: EventInput) => EventInput)[] = [];

  /** Rewrites events before they are recorded (perf criteria failing a case); in order of adding. */
  addTransform(fn: (e: EventInput) => EventInput): void {
    this.transforms.push(fn);
  }

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(given: EventInput): void {
    let input = given;
    for (const t of this.transforms) input = t(input);
    const raw = { ...input, time: new Date().toISOString() };
    // Serialised once: the masked line is what goes to disk, and (only when it changed) to listeners.
    const line = JSON.stringify(raw);
    const masked = this.masker.mask(line);
    const event = masked === line ? raw : (JSON.parse(masked) as RunEvent);
    this.append(`${masked}\n`);
    // Listeners may be async (file writes); keep their order without blocking the emitter.
    this.chain = this.chain.then(() => this.deliver(event));
  }

  /** Why events.jsonl stopped being written (a full disk, say); the run must not report success. */
  get writeError(): string | undefined {
    return this.failure;
  }

  /**
   * A record is on disk whole or not at all: a write that fails part-way (ENOSPC) is truncated
   * back, so readers never meet a torn line; later events still reach the listeners.
   */
  private append(line: string): void {
    if (this.failure) return;
    try {
      if (this.fd === undefined) {
        this.fd = openSync(this.eventsFile, 'a');
        this.size = fstatSync(this.fd).size;
      }
      const buf = Buffer.from(line);
      for (let done = 0; done < buf.length; ) done += writeSync(this.fd, buf, done);
      this.size += buf.length;
    } catch (e) {
      if (this.fd !== undefined) {
        try {
          ftruncateSync(this.fd, this.size);
        } catch {
          // Nothing more can be done for the file; the error below says what happened.
        }
      }
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOSPC'
          ? 'no space left on the device'
          : code === 'EDQUOT'
            ? 'disk quota exceeded'
            : (e as Error).message;
      this.failure = `cannot write ${this.eventsFile}: ${why}`;
      this.log.error(`${this.failure}; events from here on are not saved`);
    }
  }

  /** Closes events.jsonl; an event emitted later reopens it. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Hands an event that is already in events.jsonl (a resumed run's past) to the listeners only. */
  replay(event: RunEvent): void {
    this.chain = this.chain.then(() => this.deliver(event));
  }

  /** Resolves when every emitted event has reached every listener. */
  flush(): Promise<void> {
    return this.chain;
  }

  private async deliver(event: RunEvent): Promise<void> {
    for (const l of this.listeners) {
      try {
        await l.onEvent(event);
      } catch (e) {
        this.log.warn(`a listener failed on ${event.type}: ${(e as Error).message}`);
      }
    }
  }
}
