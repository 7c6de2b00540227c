import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import {
  readyPlatformYaml,
  readEvents,
  repoRoot,
  runCli,
  runDirs,
  startCli,
  tempDir,
  writeRunbook,
} from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const finalEnds = (events: RunEvent[]) =>
  events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && !e.willRetry && !e.unfinished);

function junitCases(file: string): string[] {
  const doc = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(file, 'utf8')) as {
    testsuites: { testsuite: { testcase: { '@_name': string } | { '@_name': string }[] } | { testcase: unknown }[] };
  };
  const suites = [doc.testsuites.testsuite].flat() as { testcase: { '@_name': string } | { '@_name': string }[] }[];
  return suites.flatMap((s) => [s.testcase].flat().map((c) => c['@_name'])).sort();
}

describe('rerun and resume against a loopback sshd node', () => {
  let node: Sshd;
  let dir: string;
  let marker: string;
  const runbook = (extra = '') =>
    writeRunbook(
      dir,
      'runbook.yml',
      `name: rerun
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/results')}
variable:
  - name: marker
    value: ${marker}
${extra}${readyPlatformYaml([node])}testcase:
  - criteria:
      area: results
notifier:
  - type: junit
  - type: json
concurrency: 1
`,
    );

  before(async () => {
    node = await startSshd();
    dir = tempDir();
    chmodSync(dir, 0o755);
    marker = join(dir, 'broken.conf');
  });
  after(async () => {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--rerun-failed runs only the cases that failed in that run', () => {
    writeFileSync(marker, 'broken\n');
    const file = runbook();
    const first = runCli(['run', file]);
    assert.equal(first.code, 1, first.stdout + first.stderr);
    const [firstDir] = runDirs(join(dir, 'runs'));
    rmSync(marker);
    const rerun = runCli(['run', file, '--rerun-failed', firstDir!]);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    const rerunDir = runDirs(join(dir, 'runs')).find((d) => d !== firstDir)!;
    const events = readEvents(rerunDir);
    assert.deepEqual(
      events.filter((e) => e.type === 'case.queued').map((e) => e.case.caseId),
      ['results.config_file'],
    );
    assert.deepEqual(
      finalEnds(events).map((e) => `${e.case.caseId}:${e.status}`),
      ['results.config_file:PASSED'],
    );
  });

  test('a run killed with SIGKILL half way, then lisa resume: every case has one result, one report', async () => {
    const file = runbook(`  - name: pace\n    value: 1\n`);
    const before = new Set(runDirs(join(dir, 'runs')));
    const run = startCli(['run', file]);
    let runDir = '';
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runDir = runDirs(join(dir, 'runs')).find((d) => !before.has(d)) ?? '';
      if (runDir && finalEnds(readEvents(runDir)).length >= 6) break;
    }
    run.child.kill('SIGKILL');
    await run.done;
    const cut = readEvents(runDir);
    const doneBefore = finalEnds(cut).map((e) => e.case.runCaseId);
    assert.ok(doneBefore.length >= 6 && doneBefore.length < 11, `killed half way: ${doneBefore.length} of 11 done`);
    assert.ok(!cut.some((e) => e.type === 'run.end'), 'SIGKILL leaves no run.end');

    const resumed = runCli(['resume', runDir]);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const events = readEvents(runDir);
    const ends = finalEnds(events);
    const ids = ends.map((e) => e.case.runCaseId).sort();
    assert.equal(ids.length, 11, 'every case has exactly one result');
    assert.equal(new Set(ids).size, 11);
    // Finished cases were kept, not run again.
    for (const id of doneBefore) {
      assert.equal(
        events.filter((e) => e.type === 'case.begin' && e.case.runCaseId === id).length,
        1,
        `${id} ran twice`,
      );
    }
    const end = events.at(-1) as RunEventOf<'run.end'>;
    assert.equal(end.type, 'run.end');
    assert.deepEqual(end.summary, { total: 11, passed: 10, failed: 0, skipped: 1, attempted: 0, unfinished: 0 });
    const json = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      summary: unknown;
      cases: unknown[];
    };
    assert.deepEqual(json.summary, end.summary);
    assert.equal(json.cases.length, 11);
    assert.equal(junitCases(join(runDir, 'junit.xml')).length, 11);
  });

  test('lisa resume names what is wrong with a directory that is not a run', () => {
    const r = runCli(['resume', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a run directory \(no events\.jsonl\)/);
  });
});
