import { openSync, writeSync } from 'node:fs';
import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import type { EventListener, RunEvent } from './events.js';

type EventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'time'> : never) : never;

/**
 * The one stream every consumer reads. Each event is masked, appended to events.jsonl synchronously
 * (so a crash mid-run loses no finished result) and then handed to the listeners in order.
 * A listener that throws is logged and kept; one broken notifier must not stop the run.
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];
  private chain: Promise<void> = Promise.resolve();
  private fd: number | undefined;

  constructor(
    private readonly eventsFile: string,
    private readonly masker: SecretMasker,
    private readonly log: Logger,
  ) {}

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(input: EventInput): void {
    const raw = { ...input, time: new Date().toISOString() } as RunEvent;
    // Serialised once: the masked line is what goes to disk, and (only when it changed) to listeners.
    const line = JSON.stringify(raw);
    const masked = this.masker.mask(line);
    const event = masked === line ? raw : (JSON.parse(masked) as RunEvent);
    this.fd ??= openSync(this.eventsFile, 'a');
    writeSync(this.fd, `${masked}\n`);
    // Listeners may be async (file writes); keep their order without blocking the emitter.
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
