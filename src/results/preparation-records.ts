/** Transformer runs and the git_bisect trail, as every report shows them (part of the results model). */
import type { RunEvent, TransformerRef, TransformerStatus } from './events.js';

/** One run of a transformer entry (per run, combination or environment, by its phase). */
export interface TransformerRecord extends TransformerRef {
  status: TransformerStatus | 'RUNNING';
  message: string;
  outputs: Record<string, unknown>;
  durationMs: number;
  logPath?: string;
  startedAt?: string;
  endedAt?: string;
}

/** The trail of a git_bisect combinator: one step per commit tested. */
export interface BisectRecord {
  steps: { iteration: number; commit: string; verdict: 'good' | 'bad' | 'skip'; remaining?: number }[];
  firstBad?: string;
  summary?: string;
}

type PreparationEvent = Extract<
  RunEvent,
  { type: 'transformer.begin' | 'transformer.end' | 'bisect.step' | 'bisect.end' }
>;

export class PreparationRecords {
  private readonly runs = new Map<string, TransformerRecord>();
  bisect: BisectRecord | undefined;

  apply(event: PreparationEvent): void {
    if (event.type === 'bisect.step') {
      this.bisect ??= { steps: [] };
      const { iteration, commit, verdict, remaining } = event;
      this.bisect.steps.push({ iteration, commit, verdict, remaining });
      return;
    }
    if (event.type === 'bisect.end') {
      this.bisect ??= { steps: [] };
      this.bisect.firstBad = event.firstBad;
      this.bisect.summary = event.summary;
      return;
    }
    const t = event.transformer;
    const key = [t.phase, t.combination, t.envId, t.name].join('\u0000');
    const r: TransformerRecord = this.runs.get(key) ?? {
      ...t,
      status: 'RUNNING',
      message: '',
      outputs: {},
      durationMs: 0,
    };
    if (event.type === 'transformer.begin') {
      r.startedAt = event.time;
      r.logPath = event.logPath;
    } else {
      Object.assign(r, {
        status: event.status,
        message: event.message,
        outputs: event.outputs,
        durationMs: event.durationMs,
      });
      r.logPath = event.logPath ?? r.logPath;
      r.endedAt = event.time;
    }
    this.runs.set(key, r);
  }

  get transformers(): TransformerRecord[] {
    return [...this.runs.values()];
  }
}
