// LISA's runbook keys that steer a run (environment.retry, wait_resource_timeout, max_concurrency,
// allow_create, warn_as_error, import_builtin_tests, test_project/test_pass/tags), each through the
// real CLI with a platform plugin named by path, as a user writes one: its deploys fail or report
// busy resources on demand, and it records how many environments were alive at once.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { openDatabase } from '../../src/results/db/open.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

interface FlakyState {
  deploys: number;
  failed: number;
  busy: number;
  live: number;
  maxLive: number;
  released: string[];
}

function lab(): string {
  const dir = tempDir('lisa-keys-');
  const fixtures = join(repoRoot, 'test/fixtures/lisa-keys');
  mkdirSync(join(dir, 'plugins'));
  mkdirSync(join(dir, 'suites'));
  copyFileSync(join(fixtures, 'flaky-platform.mts'), join(dir, 'plugins', 'flaky-platform.mts'));
  copyFileSync(join(fixtures, 'suites', 'keys.ts'), join(dir, 'suites', 'keys.ts'));
  return dir;
}

/** A runbook on the flaky platform; `top` and `flaky` are YAML lines added at the top level and to its section. */
function runbook(o: { top?: string[]; flaky?: string[]; cases?: string } = {}): string {
  return [
    'name: keys',
    'extension: [./suites]',
    'log_path: ./runs',
    'platform:',
    '  - type: ./plugins/flaky-platform.mts',
    '    flaky:',
    '      state_file: ./state.json',
    ...(o.flaky ?? []).map((l) => `      ${l}`),
    'testcase:',
    `  - criteria: { name: '${o.cases ?? '^keys\\.one$'}' }`,
    ...(o.top ?? []),
    '',
  ].join('\n');
}

function run(yaml: string, args: string[] = []) {
  const dir = lab();
  const r = runCli(['run', writeRunbook(dir, 'keys.yml', yaml), ...args], { cwd: dir, timeoutMs: 120_000 });
  const runDir = onlyRunDir(join(dir, 'runs'));
  const events = readEvents(runDir);
  const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  const retries = events.filter((e): e is RunEventOf<'env.retry'> => e.type === 'env.retry');
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as FlakyState;
  const log = readFileSync(join(runDir, 'lisa.log'), 'utf8');
  const end = (id: string) => ends.filter((e) => e.case.caseId === id).at(-1);
  return { ...r, dir, runDir, events, ends, retries, state, log, end, all: `${r.stdout}\n${r.stderr}` };
}

describe('LISA runbook keys', { timeout: 10 * 60_000 }, () => {
  it('environment.retry deploys afresh after a failed deploy; without it the case fails', () => {
    const r = run(runbook({ flaky: ['fail_first: 2'], top: ['environment:', '  retry: 2'] }));
    assert.equal(r.code, 0, r.all);
    assert.equal(r.end('keys.one')?.status, 'PASSED');
    assert.equal(r.state.deploys, 3);
    assert.deepEqual(
      r.retries.map((e) => [e.reason, e.attempt]),
      [
        ['deploy-failed', 1],
        ['deploy-failed', 2],
      ],
    );
    assert.match(r.log, /environment deploy failed, deploying a new one \(retry 1 of 2\): flaky: deploy 1 failed/);

    const short = run(runbook({ flaky: ['fail_first: 2'], top: ['environment:', '  retry: 1'] }));
    assert.equal(short.code, 1, short.all);
    assert.equal(short.end('keys.one')?.status, 'FAILED');
    assert.equal(
      short.end('keys.one')?.message,
      'environment deploy failed: flaky: deploy 2 failed, nothing left behind',
    );
    assert.equal(short.state.deploys, 2);

    const none = run(runbook({ flaky: ['fail_first: 1'] }));
    assert.equal(none.end('keys.one')?.status, 'FAILED');
    assert.equal(none.retries.length, 0);
  });

  it('wait_resource_timeout retries a deploy while resources are busy, then fails naming the cause', () => {
    const r = run(runbook({ flaky: ['busy_first: 3'], top: ['wait_resource_timeout: 0.1'] }));
    assert.equal(r.code, 0, r.all);
    assert.equal(r.end('keys.one')?.status, 'PASSED');
    assert.equal(r.state.busy, 3);
    assert.deepEqual(
      r.retries.map((e) => e.reason),
      ['resource-busy', 'resource-busy', 'resource-busy'],
    );
    assert.match(r.log, /deploy waits for resources \(flaky: all lab slots are in use \(deploy 1\)\)/);

    // Busy for longer than the timeout: the case fails with the platform's cause and the key.
    const timedOut = run(runbook({ flaky: ['busy_first: 100000'], top: ['wait_resource_timeout: 0.02'] }));
    assert.equal(timedOut.end('keys.one')?.status, 'FAILED');
    assert.match(
      timedOut.end('keys.one')!.message,
      /^environment deploy failed: flaky: all lab slots are in use \(deploy \d+\) \(waited 0.02 min for resources: wait_resource_timeout\)$/,
    );
    assert.ok(timedOut.state.busy > 1, 'it tried more than once');

    // Not written: no waiting, the first busy answer fails the case.
    const no = run(runbook({ flaky: ['busy_first: 1'] }));
    assert.equal(no.end('keys.one')?.status, 'FAILED');
    assert.equal(no.state.deploys, 1);
  });

  it('environment.max_concurrency caps the environments alive at once, under concurrency', () => {
    const cases = '^keys\\.(one|two|three|four)$';
    const free = run(runbook({ cases, top: ['concurrency: 4'] }));
    assert.equal(free.code, 0, free.all);
    assert.equal(free.state.maxLive, 4, 'the control run deploys four at once');
    const capped = run(runbook({ cases, top: ['concurrency: 4', 'environment:', '  max_concurrency: 2'] }));
    assert.equal(capped.code, 0, capped.all);
    assert.equal(capped.ends.length, 4);
    assert.equal(capped.state.maxLive, 2);
  });

  it('environment.allow_create: false uses only listed environments: none are created from case requirements', () => {
    const r = run(runbook({ top: ['environment:', '  allow_create: false'] }));
    assert.equal(r.code, 0, r.all);
    assert.equal(r.state.deploys, 0);
    assert.equal(r.end('keys.one')?.status, 'SKIPPED');
    assert.match(
      r.end('keys.one')!.message,
      /environment\.allow_create is false.*platform flaky creates its environments/,
    );

    // The ready platform leases listed machines, so the key changes nothing there.
    const dir = lab();
    const yaml = [
      'extension: [./suites]',
      'log_path: ./runs',
      'environment:',
      '  allow_create: false',
      '  environments: [{ nodes: [{ type: local }] }]',
      "testcase: [{ criteria: { name: '^keys\\.one$' } }]",
      '',
    ].join('\n');
    const ready = runCli(['run', writeRunbook(dir, 'ready.yml', yaml)], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(ready.code, 0, ready.stdout + ready.stderr);
  });

  it('environment.warn_as_error turns planning warnings (an unmet requirement) into failures', () => {
    const r = run(runbook({ cases: '^keys\\.(one|big)$' }));
    assert.equal(r.code, 0, r.all);
    assert.equal(r.end('keys.big')?.status, 'SKIPPED');
    assert.equal(r.end('keys.big')?.message, 'requirement not met: 512 cores (has 2)');

    const strict = run(runbook({ cases: '^keys\\.(one|big)$', top: ['environment:', '  warn_as_error: true'] }));
    assert.equal(strict.code, 1, strict.all);
    assert.equal(strict.end('keys.big')?.status, 'FAILED');
    assert.equal(strict.end('keys.big')?.message, 'requirement not met: 512 cores (has 2) (environment.warn_as_error)');
    assert.equal(strict.end('keys.one')?.status, 'PASSED');
    assert.match(
      strict.stderr,
      /requirement not met: 512 cores \(has 2\) \(an error: environment.warn_as_error is true\)/,
    );
  });

  it('import_builtin_tests: false loads only the extension suites, for list and run', () => {
    const dir = lab();
    const file = writeRunbook(dir, 'keys.yml', runbook({ cases: '.', top: ['import_builtin_tests: false'] }));
    const listed = runCli(['list', '-r', file, '-t', 'case', '-a'], { cwd: dir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /keys\.one/);
    assert.doesNotMatch(listed.stdout, /smoke\./);
    const withBuiltins = runCli(
      ['list', '-r', writeRunbook(dir, 'all.yml', runbook({ cases: '.' })), '-t', 'case', '-a'],
      {
        cwd: dir,
      },
    );
    assert.match(withBuiltins.stdout, /smoke\./, 'the control lists built-in suites');

    const r = run(runbook({ cases: '.', top: ['import_builtin_tests: false'] }));
    const suites = new Set(r.ends.map((e) => e.case.suite));
    assert.deepEqual([...suites], ['keys']);
  });

  it('test_project, test_pass and tags reach run.begin, results.json, JUnit, HTML and the results database', async () => {
    const r = run(
      runbook({
        top: [
          'test_project: image-qual',
          'test_pass: nightly-42',
          'tags: [azl3, cis]',
          'notifier:',
          '  - type: json',
          '  - type: junit',
          '  - type: html',
          '  - type: database',
          '    url: sqlite:./results.db',
        ],
      }),
    );
    assert.equal(r.code, 0, r.all);
    const begin = r.events.find((e): e is RunEventOf<'run.begin'> => e.type === 'run.begin')!;
    assert.deepEqual([begin.testProject, begin.testPass, begin.tags], ['image-qual', 'nightly-42', ['azl3', 'cis']]);
    const json = JSON.parse(readFileSync(join(r.runDir, 'results.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual([json.testProject, json.testPass, json.tags], ['image-qual', 'nightly-42', ['azl3', 'cis']]);
    const junit = readFileSync(join(r.runDir, 'junit.xml'), 'utf8');
    assert.match(junit, /<property name="lisa.test_project" value="image-qual"\/>/);
    assert.match(junit, /<property name="lisa.test_pass" value="nightly-42"\/>/);
    assert.match(junit, /<property name="lisa.tags" value="azl3,cis"\/>/);
    const html = readFileSync(join(r.runDir, 'report.html'), 'utf8');
    assert.match(html, /project image-qual &middot; pass nightly-42 &middot; tags azl3, cis/);
    const db = await openDatabase(`sqlite:${join(r.dir, 'results.db')}`);
    try {
      const rows = await db.all<{ test_project: string; test_pass: string; tags: string }>(
        'SELECT test_project, test_pass, tags FROM runs',
      );
      assert.deepEqual(
        rows.map((x) => ({ ...x })),
        [{ test_project: 'image-qual', test_pass: 'nightly-42', tags: 'azl3,cis' }],
      );
      const cases = await db.all<{ case_id: string; status: string }>('SELECT case_id, status FROM cases');
      assert.deepEqual(
        cases.map((x) => ({ ...x })),
        [{ case_id: 'keys.one', status: 'PASSED' }],
        'the rest of the run is written too',
      );
    } finally {
      await db.close();
    }
    const noMeta = run(runbook());
    const plain = noMeta.events.find((e: RunEvent): e is RunEventOf<'run.begin'> => e.type === 'run.begin')!;
    assert.equal(plain.testProject, undefined);
  });
});
