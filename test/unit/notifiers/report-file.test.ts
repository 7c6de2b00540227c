import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('a report rendered in pieces is written whole; a render that fails leaves the previous file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-report-file-'));
  try {
    let fail = false;
    const pieces = function* (): Generator<string> {
      // Far more than one write chunk, so the pieces really are written in several goes.
      for (let i = 0; i < 20_000; i++) {
        if (fail && i === 15_000) throw new Error('render broke');
        yield `line ${i} ünïcode\n`;
      }
    };
    const path = join(dir, 'big.txt');
    const file = new ReportFile(path, pieces, makeContext(dir).log);
    file.flush();
    const whole = readFileSync(path, 'utf8');
    assert.equal(whole.split('\n').length, 20_001);
    assert.ok(whole.endsWith('line 19999 ünïcode\n'));
    fail = true;
    assert.throws(() => file.flush(), /render broke/);
    assert.equal(readFileSync(path, 'utf8'), whole, 'the old report stays until a new one is complete');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
