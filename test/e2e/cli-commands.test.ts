import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

const suites = join(repoRoot, 'test/fixtures/suites/e2e');

function runbook(body: string): string {
  return writeRunbook(tempDir(), 'runbook.yml', body);
}

const base = `name: cmd
extension:
  - ${suites}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
`;

test('--version and --help exit 0', () => {
  const v = runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
  const h = runCli(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['run', 'list', 'check', 'schema']) assert.match(h.stdout, new RegExp(`\\b${c}\\b`));
});

test('lisa list shows selected cases and why others were left out', () => {
  const file = runbook(`${base}testcase:
  - criteria:
      area: e2e
      tags: main
  - criteria:
      name: fail_message
    select_action: exclude
`);
  const r = runCli(['list', '-r', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /e2e\.pass_echo\s+e2e\s+2/);
  assert.doesNotMatch(r.stdout, /^e2e\.fail_message/m);
  assert.match(r.stdout, /left out e2e\.fail_message: excluded by the exclude rule at .*runbook\.yml:\d+/);
  assert.match(r.stdout, /left out smoke\.reachable: no testcase rule matches it/);
});

test('lisa check validates without touching a node', () => {
  // 192.0.2.1 is TEST-NET-1: never reachable, so a check that connected would fail or hang.
  const file = runbook(`name: check
extension:
  - ${suites}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: remote
          address: 192.0.2.1
          username: nobody
          password: x
`);
  const r = runCli(['check', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ok: .* is valid/);
});

test('a runbook mistake exits 2 with file:line:column and key, and no stack trace', () => {
  const file = runbook(`${base}testcase:
  - criteria:
      area: e2e
    selct_action: include
`);
  const r = runCli(['run', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: .*runbook\.yml:\d+:\d+: .*selct_action/m);
  assert.match(r.stderr, /select_action/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a missing runbook and a bad -v exit 2 with a clear message', () => {
  const missing = runCli(['run', '/nonexistent/runbook.yml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: runbook \/nonexistent\/runbook\.yml does not exist/);
  const badVar = runCli(['run', runbook(base), '-v', 'novalue']);
  assert.equal(badVar.code, 2);
  assert.match(badVar.stderr, /-v novalue: expected name:value/);
});

test('lisa schema prints a JSON Schema', () => {
  const r = runCli(['schema']);
  assert.equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout) as { properties?: Record<string, unknown> };
  for (const key of ['platform', 'testcase', 'variable', 'notifier'])
    assert.ok(schema.properties?.[key], `schema lacks ${key}`);
});

test('a local run of the smoke suite passes and writes reports', () => {
  const dir = tempDir();
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `${base}log_path: ${join(dir, 'runs')}
testcase:
  - criteria:
      area: smoke
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /smoke\.reboot/);
  assert.match(r.stdout, /cannot reboot the machine the harness itself runs on/);
});

test('a grid combinator runs every combination as its own sub-run, named in the results', () => {
  const dir = tempDir();
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `${base}log_path: ${join(dir, 'runs')}
variable:
  - name: flavor
    value: none
combinator:
  type: grid
  items:
    - name: flavor
      value: [small, large]
testcase:
  - criteria:
      name: ^smoke\\.(reachable|os_facts)$
notifier:
  - type: junit
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const events = readEvents(onlyRunDir(join(dir, 'runs')));
  const combos = events.filter((e) => e.type === 'combination.begin').map((e) => e.combination.name);
  assert.deepEqual(combos, ['flavor=small', 'flavor=large']);
  const ends = events
    .filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end')
    .map((e) => `${e.case.runCaseId} ${e.status}`);
  assert.deepEqual(ends.sort(), [
    'flavor=large/smoke.os_facts PASSED',
    'flavor=large/smoke.reachable PASSED',
    'flavor=small/smoke.os_facts PASSED',
    'flavor=small/smoke.reachable PASSED',
  ]);
  const junit = readFileSync(join(onlyRunDir(join(dir, 'runs')), 'junit.xml'), 'utf8');
  assert.match(junit, /flavor=small/);
  assert.match(junit, /flavor=large/);
});
