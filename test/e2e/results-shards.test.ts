import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { RunEvent, RunEventOf, RunSummary } from '../../src/results/events.js';
import { readyPlatformYaml, readEvents, repoRoot, runCli, runDirs, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const queued = (events: RunEvent[]) =>
  events.filter((e): e is RunEventOf<'case.queued'> => e.type === 'case.queued').map((e) => e.case.runCaseId);

interface JUnitCase {
  '@_name': string;
  '@_classname': string;
  failure?: unknown;
  skipped?: unknown;
}

/** The JUnit test set (classname + name + outcome) and the root counts. */
function junit(file: string): { cases: string[]; counts: Record<string, string> } {
  const doc = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(file, 'utf8')) as {
    testsuites: Record<string, string> & {
      testsuite: { testcase: JUnitCase | JUnitCase[] } | { testcase: JUnitCase | JUnitCase[] }[];
    };
  };
  const suites = [doc.testsuites.testsuite].flat();
  const cases = suites
    .flatMap((s) => [s.testcase].flat())
    .map(
      (c) =>
        `${c['@_classname']}/${c['@_name']}:${c.failure !== undefined ? 'failure' : c.skipped !== undefined ? 'skipped' : 'ok'}`,
    )
    .sort();
  const r = doc.testsuites;
  return {
    cases,
    counts: { tests: r['@_tests']!, failures: r['@_failures']!, skipped: r['@_skipped']!, errors: r['@_errors']! },
  };
}

describe('--shard 1/3, 2/3, 3/3 and merge-reports against loopback sshd nodes', () => {
  let nodes: Sshd[] = [];
  let dir: string;
  let file: string;
  let whole: string;
  const shards: string[] = [];

  before(async () => {
    nodes = await Promise.all([startSshd(), startSshd()]);
    dir = tempDir();
    chmodSync(dir, 0o755);
    const marker = join(dir, 'broken.conf');
    writeFileSync(marker, 'broken\n');
    file = writeRunbook(
      dir,
      'runbook.yml',
      `name: sharded
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/results')}
variable:
  - name: marker
    value: ${marker}
  - name: flaky
    value: "yes"
${readyPlatformYaml(nodes)}testcase:
  - criteria:
      area: results
  - criteria:
      name: retried
    retry: 1
notifier:
  - type: junit
  - type: json
concurrency: 2
`,
    );
    assert.equal(runCli(['run', file]).code, 1);
    whole = runDirs(join(dir, 'runs'))[0]!;
    for (const s of ['1/3', '2/3', '3/3']) {
      const known = new Set(runDirs(join(dir, 'runs')));
      const r = runCli(['run', file, '--shard', s]);
      assert.ok(r.code === 0 || r.code === 1, r.stdout + r.stderr);
      shards.push(runDirs(join(dir, 'runs')).find((d) => !known.has(d))!);
    }
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the shards run disjoint sets whose union is the whole selection, balanced by count without history', () => {
    const sets = shards.map((d) => queued(readEvents(d)));
    const all = sets.flat();
    assert.equal(new Set(all).size, all.length, 'disjoint');
    assert.deepEqual([...all].sort(), queued(readEvents(whole)).sort(), 'union is the whole selection');
    assert.deepEqual(sets.map((s) => s.length).sort(), [3, 4, 4]);
  });

  test('merge-reports gives the same JUnit test set and counts as the unsharded run', () => {
    const out = join(dir, 'merged');
    const r = runCli(['merge-reports', ...shards, '-o', out]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /merged 3 run\(s\) into .*: 11 cases, 9 passed, 1 failed, 1 skipped, 0 unfinished \(FAILED\)/,
    );
    const merged = junit(join(out, 'junit.xml'));
    const single = junit(join(whole, 'junit.xml'));
    assert.deepEqual(merged.cases, single.cases);
    assert.deepEqual(merged.counts, single.counts);
    const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as { summary: RunSummary; environments: unknown[] };
    assert.deepEqual(json(join(out, 'results.json')).summary, json(join(whole, 'results.json')).summary);
    assert.ok(json(join(out, 'results.json')).environments.length >= 3, 'every shard environment kept apart');
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /results\.config_file/);
    // The merged directory is a run directory: lisa diff compares it with the unsharded run.
    const d = runCli(['diff', out, '--baseline', whole, '--json']);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    const diff = JSON.parse(d.stdout) as {
      newFailures: unknown[];
      stillFailing: { caseId: string }[];
      missing: unknown[];
    };
    assert.deepEqual(diff.newFailures, []);
    assert.deepEqual(diff.missing, []);
    assert.deepEqual(
      diff.stillFailing.map((c) => c.caseId),
      ['results.config_file'],
    );
    const withDb = runCli(['merge-reports', ...shards, '-o', out, '--db', `sqlite:${join(dir, 'm.db')}`]);
    assert.equal(withDb.code, 1);
    const rows = runCli(['history', 'results', '--db', `sqlite:${join(dir, 'm.db')}`, '--json']);
    assert.equal((JSON.parse(rows.stdout) as { results: unknown[] }).results.length, 11);
  });
});
