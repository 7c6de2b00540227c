import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runRunbook } from '../src/orchestrator/run.js';
import { loadRunbook } from '../src/runbook/load.js';
import { readyPlatformYaml, type SshTarget } from '../test/helpers/cli.js';

export type { SshTarget };

/** A suite module with `count` cases, each running one trivial command on its node. */
function writeTrivialSuite(dir: string, count: number): void {
  writeFileSync(
    join(dir, 'trivial.mjs'),
    `export default { name: 'bench', area: 'bench', cases: Array.from({ length: ${count} }, (_, i) => ({
      name: 'c' + String(i).padStart(5, '0'),
      async run(ctx) { const r = await ctx.node.execute('true'); if (r.exitCode !== 0) throw new Error('exit ' + r.exitCode); },
    })) };\n`,
  );
}

function runbookYaml(
  targets: SshTarget[],
  runRoot: string,
  suiteDir: string,
  notifiers: string[],
  concurrency?: number,
): string {
  return `name: bench
log_path: ${runRoot}
${concurrency ? `concurrency: ${concurrency}\n` : ''}extension:
  - ${suiteDir}
${readyPlatformYaml(targets)}testcase:
  - criteria:
      area: bench
notifier:
${notifiers.map((n) => `  - type: ${n}`).join('\n')}
`;
}

/**
 * Runs `count` trivial cases through the whole engine and returns the wall time in ms.
 * `concurrency` unset means the platform's default (one worker per environment).
 */
export async function runEngineCases(
  targets: SshTarget[],
  count: number,
  notifiers: string[] = ['console'],
  concurrency?: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-bench-'));
  writeTrivialSuite(dir, count);
  const file = join(dir, 'runbook.yml');
  writeFileSync(file, runbookYaml(targets, join(dir, 'runs'), dir, notifiers, concurrency));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const rb = await loadRunbook(file, { env: {} });
  const start = performance.now();
  const result = await runRunbook(rb, { debug: false, out: sink, err: sink, signal: new AbortController().signal });
  const ms = performance.now() - start;
  if (result.summary.passed !== count)
    throw new Error(`bench run: ${result.summary.passed} of ${count} cases passed (see ${result.runDir})`);
  return ms;
}
