import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readVmRecords, reapStaleVms, writeVmRecord, type VmRecord } from '../../../src/platform/qemu/registry.js';

/** A stand-in for a QEMU process: its command line names the QMP socket, like the real one. */
function fakeVm(qmpSocket: string) {
  const p = spawn('sh', ['-c', 'sleep 60', qmpSocket], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  return { pid: p.pid!, exited, kill: () => p.kill('SIGKILL') };
}

/** A pid that is certainly dead: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const p = spawn('true');
  await new Promise((r) => p.once('exit', r));
  return p.pid!;
}

function record(id: string, ownerPid: number, pid: number, qmpSocket: string, kept = false): VmRecord {
  return {
    id,
    ownerPid,
    pid,
    sshPort: 1,
    qmpSocket,
    serialLog: '/dev/null',
    files: [],
    startedAt: new Date().toISOString(),
    kept,
  };
}

describe('reapStaleVms', () => {
  it('kills VMs of dead runs, leaves live runs and kept environments alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reap-'));
    const dead = await deadPid();
    const stale = fakeVm(join(root, 'a', 'qmp-stale.sock'));
    const live = fakeVm(join(root, 'b', 'qmp-live.sock'));
    const kept = fakeVm(join(root, 'a', 'qmp-kept.sock'));
    try {
      writeVmRecord(join(root, 'a'), record('stale', dead, stale.pid, join(root, 'a', 'qmp-stale.sock')));
      writeVmRecord(join(root, 'a'), record('kept', dead, kept.pid, join(root, 'a', 'qmp-kept.sock'), true));
      writeVmRecord(join(root, 'b'), record('live', process.pid, live.pid, join(root, 'b', 'qmp-live.sock')));
      const r = reapStaleVms(root);
      assert.deepEqual(
        r.killed.map((k) => k.id),
        ['stale'],
      );
      await stale.exited;
      assert.deepEqual(
        readVmRecords(join(root, 'a')).map((x) => x.id),
        ['kept'],
      );
      assert.equal(readVmRecords(join(root, 'b')).length, 1);
    } finally {
      for (const v of [stale, live, kept]) v.kill();
    }
  });

  it('never kills a reused pid that is not our QEMU', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reap-'));
    const other = fakeVm('/something/else');
    try {
      writeVmRecord(join(root, 'a'), record('old', await deadPid(), other.pid, join(root, 'a', 'qmp.sock')));
      const r = reapStaleVms(root);
      assert.equal(r.killed.length, 0);
      assert.equal(r.cleaned, 1);
      process.kill(other.pid, 0);
    } finally {
      other.kill();
    }
  });
});
