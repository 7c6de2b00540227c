import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReportFile } from '../../../src/notifiers/report-file.js';
import { makeContext } from '../../fixtures/notifiers/run-events.js';

test('rewrites at once, defers within the minimum interval, and flush always writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-report-file-'));
  try {
    let n = 0;
    const file = new ReportFile(join(dir, 'r.txt'), () => `v${++n}`, makeContext(dir).log, 50);
    const read = () => readFileSync(join(dir, 'r.txt'), 'utf8');
    file.update();
    assert.equal(read(), 'v1');
    file.update();
    file.update();
    assert.equal(read(), 'v1', 'deferred');
    await sleep(120);
    assert.equal(read(), 'v2', 'one deferred write for both updates');
    file.flush();
    assert.equal(read(), 'v3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing write mid-run is logged once; flush reports it in words, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-report-file-'));
  try {
    writeFileSync(join(dir, 'blocker'), '');
    const ctx = makeContext(dir);
    const file = new ReportFile(join(dir, 'blocker', 'r.txt'), () => 'x', ctx.log);
    file.update();
    file.update();
    assert.match(ctx.sink.lines.join('\n'), /warn .*cannot write .*blocker\/r\.txt/);
    assert.equal(ctx.sink.lines.filter((l) => l.includes('cannot write')).length, 1);
    assert.throws(
      () => file.flush(),
      /^Error: cannot write .*blocker\/r\.txt: (already exists|a part of the path is not a directory)$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
