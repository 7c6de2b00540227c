import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignShards, parseShard } from '../../../src/orchestrator/shard.js';

const items = Array.from({ length: 10 }, (_, i) => ({ runCaseId: `s.c${i}`, caseId: `s.c${i}` }));

test('without history shards are balanced by count and the split is deterministic', () => {
  const a = assignShards(items, new Map(), 3);
  const b = assignShards([...items].reverse(), new Map(), 3);
  assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort(), 'input order does not matter');
  const sizes = [1, 2, 3].map((s) => [...a.values()].filter((x) => x === s).length);
  assert.deepEqual(sizes, [4, 3, 3]);
});

test('with history the longest cases go first onto the least loaded shard', () => {
  const durations = new Map([
    ['s.c0', 100],
    ['s.c1', 60],
    ['s.c2', 50],
    ['s.c3', 10],
  ]);
  const a = assignShards(items.slice(0, 4), durations, 2);
  assert.equal(a.get('s.c0'), 1);
  assert.equal(a.get('s.c1'), 2);
  assert.equal(a.get('s.c2'), 2);
  assert.equal(a.get('s.c3'), 1);
  // A case without history weighs the median of the known ones.
  const withNew = assignShards([...items.slice(0, 4), { runCaseId: 's.new', caseId: 's.new' }], durations, 2);
  assert.ok(withNew.has('s.new'));
});

test('--shard takes i/n with 1 ≤ i ≤ n', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '1/3/4']) assert.throws(() => parseShard(bad), /expected i\/n/);
});
