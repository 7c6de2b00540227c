import { isAbsolute, relative, resolve } from 'node:path';
import { ResultsModel } from './results-model.js';
import type { RunEvent, RunEventOf } from './events.js';

export interface ShardEvents {
  /** Where the shard's run directory is now (its logs are linked from the merged report). */
  dir: string;
  events: RunEvent[];
}

/**
 * The event stream one run over all shards would have produced: one run.begin, each combination
 * once, every shard's environments (ids prefixed by shard so two `env1` stay apart) and cases,
 * log paths pointing into the shard directories as they lie now, and one run.end whose counts
 * come from the merged results.
 */
export function mergeShardEvents(shards: readonly ShardEvents[], outDir: string): RunEvent[] {
  const begins = shards.map((s, i) => {
    const b = s.events.find((e): e is RunEventOf<'run.begin'> => e.type === 'run.begin');
    if (!b) throw new Error(`${s.dir}: events.jsonl has no run.begin`);
    return { b, i };
  });
  const first = begins[0]!.b;
  const combinations = [...new Set(begins.flatMap(({ b }) => b.combinations))];
  const starts = begins.map(({ b }) => b.time).sort();
  const out: RunEvent[] = [
    { ...first, time: starts[0]!, runId: `${first.runId}-merged`, runDir: resolve(outDir), combinations },
  ];
  const seenCombos = new Set<string>();
  let interrupted = false;
  let lastTime = starts[0]!;
  for (const [i, shard] of shards.entries()) {
    const oldDir = begins[i]!.b.runDir;
    const env = (id: string) => (shards.length > 1 ? `shard${i + 1}:${id}` : id);
    const path = (p: string | undefined) => (p === undefined ? undefined : moved(p, oldDir, shard.dir));
    let ended = false;
    for (const e of shard.events) {
      if (e.time > lastTime) lastTime = e.time;
      switch (e.type) {
        case 'run.begin':
          continue;
        case 'run.end':
          ended = true;
          if (e.status === 'INTERRUPTED') interrupted = true;
          continue;
        case 'combination.begin':
          if (seenCombos.has(e.combination.name)) continue;
          seenCombos.add(e.combination.name);
          out.push(e);
          continue;
        case 'env.begin':
        case 'env.end':
          out.push({ ...e, envId: env(e.envId) });
          continue;
        case 'case.begin':
          out.push({ ...e, envId: env(e.envId), logPath: path(e.logPath)! });
          continue;
        case 'case.end': {
          const m: RunEventOf<'case.end'> = { ...e };
          if (e.envId !== undefined) m.envId = env(e.envId);
          if (e.logPath !== undefined) m.logPath = path(e.logPath)!;
          out.push(m);
          continue;
        }
        default:
          out.push(e);
      }
    }
    // A shard killed before its end (no run.end) did not finish: the merge says so.
    if (!ended) interrupted = true;
  }
  const model = new ResultsModel();
  for (const e of out) model.apply(e);
  const summary = model.summary();
  const status = interrupted ? 'INTERRUPTED' : summary.failed > 0 ? 'FAILED' : 'PASSED';
  out.push({
    type: 'run.end',
    time: lastTime,
    status,
    summary,
    durationMs: Date.parse(lastTime) - Date.parse(starts[0]!),
  });
  return out;
}

/** A path recorded under the shard's original run directory, moved to where that directory is now. */
function moved(p: string, oldDir: string, newDir: string): string {
  if (!isAbsolute(p)) return resolve(newDir, p);
  const rel = relative(oldDir, p);
  return rel.startsWith('..') || isAbsolute(rel) ? p : resolve(newDir, rel);
}
