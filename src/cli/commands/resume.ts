import type { Command } from 'commander';
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEventsFile } from '../../results/events-file.js';
import { readInvocation } from '../../results/invocation.js';
import { resumeState } from '../../results/resume.js';
import { UsageError } from '../errors.js';
import { runFromCli } from '../run-from-cli.js';
import { loadRunbookAndSuites } from '../load.js';

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description(
      'continue a run cut short (Ctrl-C, crash, kill) in its own directory: finished results are kept, the rest run; one report',
    )
    .argument('<run-dir>', 'the run directory (holding events.jsonl)')
    .option(
      '-v, --variable <name:value>',
      'set a variable again; secrets given with -v s:name:value must be given again',
      (v: string, prev: string[] = []) => [...prev, v],
      [] as string[],
    )
    .action(async (dir: string, opts: { variable: string[] }) => {
      const debug = program.opts<{ debug?: boolean }>().debug ?? false;
      const runDir = resolve(dir);
      if (!existsSync(join(runDir, 'events.jsonl')))
        throw new UsageError(`${dir} is not a run directory (no events.jsonl)`);
      let invocation;
      try {
        invocation = readInvocation(runDir);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const given = new Set(opts.variable.filter((v) => v.startsWith('s:')).map((v) => v.slice(2).split(':')[0]));
      const missing = invocation.secretVariables.filter((n) => !given.has(n));
      if (missing.length) {
        throw new UsageError(
          `the run was given secret variables that are never written down; pass them again: ${missing.map((n) => `-v s:${n}:VALUE`).join(' ')}`,
        );
      }
      if (!existsSync(invocation.runbook)) throw new UsageError(`the run's runbook ${invocation.runbook} is gone`);
      const eventsFile = join(runDir, 'events.jsonl');
      const { events, tornTail } = readEventsFile(eventsFile);
      // New records go after the last whole one, never after half a line.
      if (tornTail) truncateSync(eventsFile, readFileSync(eventsFile).lastIndexOf(10) + 1);
      const state = resumeState(events);
      // Exactly the cases the interrupted run had queued: its --shard or --rerun-failed choice stands.
      const queued = new Set(events.flatMap((e) => (e.type === 'case.queued' ? [e.case.runCaseId] : [])));
      const variables = [...invocation.variables, ...opts.variable];
      const { runbook, cases } = await loadRunbookAndSuites(invocation.runbook, variables);
      await runFromCli(runbook, {
        debug,
        cases,
        only: queued.size ? (c) => queued.has(c.runCaseId) : undefined,
        resume: { runDir, replay: state.replay, done: state.done },
      });
    });
}
