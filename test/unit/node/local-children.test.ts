import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStat, reapLocalChildren } from '../../../src/node/local-children.js';
import { ownerTag } from '../../../src/node/owner-tag.js';

function alive(pid: number): boolean {
  const st = readStat(pid);
  if (!st) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
}

test('ledgers of a live lisa are left alone, those of an earlier boot are dropped, a dead one’s groups are killed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-local-children-'));
  const sleeper = spawn('sleep', ['333'], { detached: true, stdio: 'ignore' });
  try {
    const pid = sleeper.pid!;
    await new Promise((r) => setTimeout(r, 100));
    const start = readStat(pid)!.start;
    const record = `${JSON.stringify({ pid, pgid: pid, start })}\n`;
    mkdirSync(dir, { recursive: true });
    const [boot, pidNs] = ownerTag().split('.');
    // This process is alive: its ledger is not a dead run's.
    const live = join(dir, `${ownerTag()}.jsonl`);
    writeFileSync(live, record);
    // Another boot: nothing it names can run now.
    const earlier = join(dir, `00000000-0000-0000-0000-000000000000.${pidNs}.4242.1.jsonl`);
    writeFileSync(earlier, record);
    let r = reapLocalChildren(dir);
    assert.deepEqual(r, { killed: [], ledgers: 1 });
    assert.ok(existsSync(live) && !existsSync(earlier));
    assert.ok(alive(pid));

    // A lisa that is gone (a pid with another start time), which ended the command in its ledger.
    const gone = join(dir, `${boot}.${pidNs}.${process.pid}.1.jsonl`);
    writeFileSync(gone, record + `${JSON.stringify({ pid, end: true })}\n`);
    r = reapLocalChildren(dir);
    assert.deepEqual(r, { killed: [], ledgers: 1 }, 'an ended command is not killed');
    assert.ok(alive(pid));

    writeFileSync(gone, record + 'torn {"pid":\n');
    r = reapLocalChildren(dir);
    assert.deepEqual(r, { killed: [pid], ledgers: 1 });
    assert.ok(!existsSync(gone));
    await new Promise((res) => sleeper.once('exit', res));
    assert.ok(!alive(pid));
  } finally {
    try {
      process.kill(sleeper.pid!, 'SIGKILL');
    } catch {
      // Killed by the test.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
