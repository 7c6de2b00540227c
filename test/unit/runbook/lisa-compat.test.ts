/** Each LISA-shaped runbook pattern loads and means what it means in LISA (docs/lisa-compatibility.md). */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadRunbook } from '../../../src/runbook/load.js';
import { selectCases } from '../../../src/orchestrator/selection.js';
import type { TestCaseInfo } from '../../../src/testing/types.js';

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-compat-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return join(dir, 'runbook.yml');
}

const load = (files: Record<string, string>, cli: string[] = [], env: Record<string, string> = {}) =>
  loadRunbook(write(files), { cliVariables: cli, env });

test('enabled: false drops any list entry, after variables are substituted', async () => {
  const files = {
    'runbook.yml': `variable:
  - name: on
    value: True
testcase:
  - criteria: {area: a}
    enabled: $(on)
  - criteria: {area: b}
    enabled: false
notifier:
  - type: junit
    enabled: "False"
  - type: html
`,
  };
  const rb = (await load(files)).combinations[0]!;
  assert.deepEqual(
    rb.testcase.map((r) => r.criteria.area),
    ['a'],
  );
  assert.deepEqual(
    rb.notifier.map((n) => n.type),
    ['html'],
  );
  const off = (await load(files, ['on:false'])).combinations[0]!;
  assert.equal(off.testcase.length, 0);
});

test('top-level LISA keys load; exit_with_failed_count and include strategy, parent and extension forms', async () => {
  const rb = await load({
    'runbook.yml': `name: x
test_project: BMI
test_pass: smoke
tags: [nightly]
import_builtin_tests: true
wait_resource_timeout: 5
exit_with_failed_count: false
parent:
  - path: ./base.yml
    strategy: {}
extension:
  paths: [./ext]
dev:
  jump_boxes:
    - {address: 127.0.0.1, port: 2222, username: u, private_key_file: k}
environment:
  retry: 2
  warn_as_error: true
  allow_create: false
  environments:
    - nodes:
        - type: requirement
          capability: {core_count: {min: 2}}
    - nodes:
        - type: local
platform:
  - type: ready
    requirement: {core_count: {min: 2}}
`,
    'base.yml': 'testcase:\n  - criteria: {priority: 0}\n',
  });
  const c = rb.combinations[0]!;
  assert.equal(c.exitWithFailedCount, false);
  assert.equal(c.testcase.length, 1, 'parent: is merged like include:');
  assert.equal(c.extension.length, 1);
  assert.match(c.extension[0]!, /\/ext$/);
  assert.deepEqual(
    c.environments.map((e) => e.nodes.map((n) => n.type)),
    [['local']],
    'requirement-only environments are left to the platform',
  );
});

test('variable names are case-insensitive; S_LISA_ is secret, CV_LISA_ and LISA_ are plain; mask makes a secret', async () => {
  const files = {
    'runbook.yml': `variable:
  - name: Location
    value: westus
  - name: token
    value: abcdef
    mask: headtail
notifier:
  - type: junit
    path: $(location)-$(KEY)-$(cv)-$(token).xml
`,
  };
  const loaded = await load(files, ['LOCATION:eastus'], { S_LISA_key: 'k3y-secret', CV_LISA_cv: 'visible' });
  const rb = loaded.combinations[0]!;
  assert.equal(rb.notifier[0]!.options.path, 'eastus-k3y-secret-visible-abcdef.xml');
  assert.ok(loaded.secrets.includes('k3y-secret'));
  assert.ok(loaded.secrets.includes('abcdef'));
  assert.ok(!loaded.secrets.includes('visible'));
});

const info = (id: string, over: Partial<TestCaseInfo> = {}): TestCaseInfo =>
  ({
    id,
    name: id.split('.')[1]!,
    suite: id.split('.')[0]!,
    area: 'Network',
    category: 'functional',
    priority: 1,
    tags: [],
    timeoutMs: 60_000,
    ...over,
  }) as TestCaseInfo;

test('criteria regexes are case-insensitive; select_action none only sets settings on selected cases', () => {
  const cases = [info('net.ping'), info('net.dns', { area: 'dns' })];
  const rules = [
    { criteria: { area: 'network' }, selectAction: 'include' as const, where: 'a:1' },
    { criteria: { name: '.' }, selectAction: 'none' as const, retry: 2, where: 'a:2' },
  ];
  const sel = selectCases(cases, rules);
  assert.deepEqual(
    sel.selected.map((s) => [s.info.id, s.settings.retry, s.selectedBy]),
    [['net.ping', 2, 'a:1']],
  );
  assert.equal(sel.excluded[0]!.info.id, 'net.dns');
});
