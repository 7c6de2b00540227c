import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/secrets.js';
import { createNotifier } from '../../notifiers/registry.js';
import type { NotifierConfig } from '../../runbook/types.js';
import { readEventsFile } from '../../results/events-file.js';
import { mergeShardEvents } from '../../results/merge.js';
import { UsageError } from '../errors.js';
import { StderrSink } from '../stderr-sink.js';

export function registerMergeReports(program: Command): void {
  program
    .command('merge-reports')
    .description(
      'rebuild one JUnit, JSON and HTML report (and database rows with --db) from the run directories of shards',
    )
    .argument('<dirs...>', "the shards' run directories (each holding events.jsonl)")
    .option('-o, --output <dir>', 'where the merged reports go', 'merged-report')
    .option('--db <url>', 'also write the merged run to this results database (sqlite:PATH or postgresql://...)')
    .action(async (dirs: string[], opts: { output: string; db?: string }) => {
      const shards = dirs.map((d) => {
        const file = join(d, 'events.jsonl');
        if (!existsSync(file)) throw new UsageError(`${d} is not a run directory (no events.jsonl)`);
        return { dir: resolve(d), events: readEventsFile(file).events };
      });
      const out = resolve(opts.output);
      mkdirSync(out, { recursive: true });
      let events;
      try {
        events = mergeShardEvents(shards, out);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      // The merged stream is itself a run directory's events: diff, history and resume read it.
      writeFileSync(join(out, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const masker = new SecretMasker();
      const log = new Logger('merge-reports', [new StderrSink()], masker);
      const configs: NotifierConfig[] = [
        { type: 'junit', options: {} },
        { type: 'json', options: {} },
        { type: 'html', options: {} },
      ];
      if (opts.db) configs.push({ type: 'database', options: { url: opts.db } });
      const ctx = {
        runDir: out,
        runName: events[0]!.type === 'run.begin' ? events[0]!.name : 'merged',
        log,
        masker,
        debug: false,
        out: process.stdout,
      };
      const notifiers = await Promise.all(configs.map((c) => createNotifier(c, ctx)));
      for (const e of events) for (const n of notifiers) await n.onEvent(e);
      for (const n of notifiers) await n.finish();
      const end = events.at(-1)!;
      if (end.type === 'run.end') {
        const s = end.summary;
        process.stdout.write(
          `merged ${shards.length} run(s) into ${out}: ${s.total} cases, ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.unfinished} unfinished (${end.status})\n`,
        );
        process.exitCode = end.status === 'PASSED' ? 0 : 1;
      }
    });
}
