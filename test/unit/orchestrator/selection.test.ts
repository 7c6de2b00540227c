import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectCases } from '../../../src/orchestrator/selection.js';
import type { TestCaseRule } from '../../../src/runbook/types.js';
import { expandSuite } from '../../../src/testing/loader.js';

const cases = expandSuite(
  {
    name: 's',
    area: 'storage',
    cases: [
      { name: 'a', priority: 0, tags: ['quick'], run() {} },
      { name: 'b', priority: 1, run() {} },
      { name: 'c', priority: 3, tags: ['slow', 'quick'], run() {} },
    ],
  },
  'mem',
).concat(expandSuite({ name: 'n', area: 'network', cases: [{ name: 'ping', priority: 2, run() {} }] }, 'mem'));

const rule = (r: Partial<TestCaseRule> & Pick<TestCaseRule, 'criteria'>): TestCaseRule => ({
  selectAction: 'include',
  where: `rb.yml:${Math.random()}`,
  ...r,
});
const ids = (rules: TestCaseRule[]) => selectCases(cases, rules).selected.map((s) => s.info.id);

test('no rules selects everything, most important first', () => {
  assert.deepEqual(ids([]), ['s.a', 's.b', 'n.ping', 's.c']);
});

test('include then exclude narrows; regexes match area and name', () => {
  assert.deepEqual(
    ids([rule({ criteria: { area: 'stor' } }), rule({ criteria: { priority: [3] }, selectAction: 'exclude' })]),
    ['s.a', 's.b'],
  );
  assert.deepEqual(ids([rule({ criteria: { name: '^s\\.(a|c)$' } })]), ['s.a', 's.c']);
});

test('tags must all be present', () => {
  assert.deepEqual(ids([rule({ criteria: { tags: ['quick', 'slow'] } })]), ['s.c']);
});

test('forceExclude wins over a later include; forceInclude over a later exclude', () => {
  assert.deepEqual(
    ids([rule({ criteria: { name: 'c' }, selectAction: 'forceExclude' }), rule({ criteria: { area: 'storage' } })]),
    ['s.a', 's.b'],
  );
  assert.deepEqual(
    ids([
      rule({ criteria: { name: 'ping' }, selectAction: 'forceInclude' }),
      rule({ criteria: { area: 'network' }, selectAction: 'exclude' }),
    ]),
    ['n.ping'],
  );
});

test('rule settings apply to the cases it includes, and left-out cases say why', () => {
  const sel = selectCases(cases, [
    rule({ criteria: { area: 'storage' }, times: 3, retry: 2, timeout: 5, where: 'rb.yml:4' }),
    rule({ criteria: { name: 'b' }, selectAction: 'exclude', where: 'rb.yml:9' }),
  ]);
  const a = sel.selected.find((s) => s.info.id === 's.a')!;
  assert.deepEqual(a.settings, { times: 3, retry: 2, timeoutMs: 5000, useNewEnvironment: false, ignoreFailure: false });
  assert.equal(a.selectedBy, 'rb.yml:4');
  assert.deepEqual(
    sel.excluded.map((x) => [x.info.id, x.reason]),
    [
      ['s.b', 'excluded by the exclude rule at rb.yml:9'],
      ['n.ping', 'no testcase rule matches it'],
    ],
  );
});
