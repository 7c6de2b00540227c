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

test('is_case_visible: without LISA model every variable reaches cases; with it only visible ones and the run`s own', async () => {
  const plain = await load({ 'runbook.yml': 'variable:\n  - name: a\n    value: 1\n' }, ['b:2'], { LISA_c: '3' });
  const p = plain.combinations[0]!.variables;
  assert.deepEqual(
    ['a', 'b', 'c'].map((n) => p[n]!.isCaseVisible),
    [true, true, true],
  );
  const lisa = await load(
    {
      'runbook.yml': `variable:
  - name: shown
    value: 1
    is_case_visible: true
  - name: internal
    value: 2
  - name: Hidden
    value: 3
    is_case_visible: false
`,
    },
    ['cli_set:4', 'hidden:5'],
    { LISA_env_plain: '6', S_LISA_env_secret: 'sec-ret', CV_LISA_env_cv: '7' },
  );
  const v = lisa.combinations[0]!.variables;
  const visible = Object.keys(v)
    .filter((n) => v[n]!.isCaseVisible)
    .sort();
  // `hidden` stays hidden although -v set its value: a declared visibility sticks, like a secret.
  assert.deepEqual(visible, ['cli_set', 'env_cv', 'shown']);
  assert.equal(v.Hidden?.value ?? v.hidden?.value, 5);
});

test('every mask style (guid, headtail, url, filename) makes the variable a secret masked whole', async () => {
  const { SecretMasker } = await import('../../../src/logging/secrets.js');
  const values = {
    guid: '0f8fad5b-d9cb-469f-a165-70867728950e',
    headtail: 'abcdefghijkl',
    url: 'https://user:pw@storage.internal/container?sig=xyz',
    filename: '/home/me/.ssh/id_secret_key',
  };
  const yaml = Object.entries(values)
    .map(([style, value]) => `  - name: v_${style}\n    value: "${value}"\n    mask: ${style}\n`)
    .join('');
  const loaded = await load({ 'runbook.yml': `variable:\n${yaml}` });
  const masker = new SecretMasker();
  for (const s of loaded.secrets) masker.add(s);
  for (const [style, value] of Object.entries(values)) {
    assert.ok(loaded.secrets.includes(value), style);
    assert.equal(loaded.combinations[0]!.variables[`v_${style}`]!.isSecret, true);
    // No head, tail, host or base name survives: a secret never appears in any form.
    assert.equal(masker.mask(`value ${value} end`), 'value ****** end', style);
  }
});

test('maturity: LISA`s stable gate, opened by criteria naming a maturity and by forceInclude; forceExclude wins', async () => {
  const cases = [
    info('m.stable'),
    info('m.preview', { maturity: 'preview' }),
    info('m.experimental', { maturity: 'experimental' }),
    info('m.deprecated', { maturity: 'deprecated' }),
  ];
  const rulesOf = async (testcase: string) =>
    (await load({ 'runbook.yml': `testcase:\n${testcase}` })).combinations[0]!.testcase;
  const run = async (testcase: string) =>
    selectCases(cases, await rulesOf(testcase))
      .selected.map((s) => s.info.id)
      .sort();
  // (1) no maturity in the runbook: only stable, also when no rule is written.
  assert.deepEqual(
    selectCases(cases, []).selected.map((s) => s.info.id),
    ['m.stable'],
  );
  assert.deepEqual(await run('  - criteria:\n      name: ^m\\.\n'), ['m.stable']);
  // (2) criteria maturity: [preview], include: preview joins, experimental stays out.
  assert.deepEqual(await run('  - criteria:\n      name: ^m\\.\n  - criteria:\n      maturity: [preview]\n'), [
    'm.preview',
    'm.stable',
  ]);
  // (3) forceInclude of a case without a maturity key runs it; (4) forceExclude always wins.
  assert.deepEqual(
    await run(
      '  - criteria:\n      name: experimental|deprecated\n    select_action: forceInclude\n' +
        '  - criteria:\n      name: stable\n    select_action: forceExclude\n',
    ),
    ['m.deprecated', 'm.experimental'],
  );
  const gated = selectCases(cases, []).excluded.find((e) => e.info.id === 'm.preview');
  assert.match(gated!.reason, /maturity is preview: only stable cases run unless .*maturity preview/);
  // A maturity outside LISA's four is a runbook error naming the key.
  await assert.rejects(
    load({ 'runbook.yml': 'testcase:\n  - criteria:\n      maturity: beta\n' }),
    (e: Error & { formatOne(): string }) => {
      assert.match(e.formatOne(), /runbook\.yml:3:\d+: testcase\[0\]\.criteria\.maturity: must be one of/);
      return true;
    },
  );
});
