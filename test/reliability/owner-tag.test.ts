import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { killOrphansScript, orphansIn } from '../../src/node/orphan-reaper.js';
import { ownerAssignment, ownerIsGone, ownerTag } from '../../src/node/owner-tag.js';

/** A tag like ours for another process of this machine: same boot and pid namespace. */
function tagFor(pid: number, start: string): string {
  const [boot, ns] = ownerTag().split('.');
  return `${boot}.${ns}.${pid}.${start}`;
}

test('the owner tag names this process, is shell-safe, and this process is alive', () => {
  assert.match(ownerTag(), new RegExp(`^[0-9a-f-]+\\.\\d+\\.${process.pid}\\.\\d+$`));
  assert.match(ownerAssignment(), /^LISA_OWNER=[0-9a-f.-]+$/);
  assert.equal(ownerIsGone(ownerTag()), false);
});

test('a tag is gone when its pid exited or was reused, never when it comes from elsewhere', () => {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  const exited = Number(child.stdout.toString().trim());
  assert.equal(ownerIsGone(tagFor(exited, '1')), true, 'an exited process');
  assert.equal(ownerIsGone(tagFor(process.pid, '1')), true, 'a reused pid: other start time');
  assert.equal(ownerIsGone(`00000000-0000-0000-0000-000000000000.1.${exited}.1`), false, 'another boot');
  assert.equal(ownerIsGone('not a tag'), false);
});

test('orphansIn keeps gone owners only, once per pid; the kill script refuses pid 1', () => {
  const gone = tagFor(999_999_999, '1');
  const listing = [`10 ${ownerTag()}`, `11 ${gone}`, `11 ${gone}`, `12 `, '1 ' + gone, 'garbage'].join('\n');
  assert.deepEqual(orphansIn(listing), [{ pid: 11, tag: gone }]);
  assert.throws(() => killOrphansScript([1]), /refusing/);
  assert.match(killOrphansScript([11, 12]), /root=11[\s\S]*root=12/);
});
