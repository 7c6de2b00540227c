import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { detectPanics } from '../../../src/platform/qemu/panic.js';
import { SerialConsole } from '../../../src/platform/qemu/serial-console.js';

// Serial logs recorded from real Debian 12 guests under TCG (see the first line of each file),
// found from here both under tsx and from the compiled dist/ tree (tsc does not copy .log files).
function fixturesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'unit', 'qemu', 'fixtures');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('test/unit/qemu/fixtures not found');
  }
}
const fixtures = fixturesDir();
const clean = readFileSync(join(fixtures, 'serial-clean-boot.log'), 'utf8');
const panic = readFileSync(join(fixtures, 'serial-sysrq-panic.log'), 'utf8');

describe('detectPanics', () => {
  it('finds nothing in a healthy boot (hot-plug, ACPI, SVM noise included)', () => {
    assert.deepEqual(detectPanics(clean), []);
  });

  it('reports a sysrq panic once, with the trace in the excerpt', () => {
    const found = detectPanics(panic);
    assert.equal(found.length >= 1, true);
    assert.match(found[0]!.line, /Kernel panic - not syncing: sysrq triggered crash/);
    assert.match(found[0]!.excerpt, /sysrq: Trigger a crash/);
    assert.match(found[0]!.excerpt, /Call Trace:/);
  });

  it('recognises oopses, BUGs and warnings, and strips CRs and escape codes', () => {
    const text = [
      '[   5.1] BUG: kernel NULL pointer dereference, address: 0000000000000000\r',
      '[   5.1] #PF: supervisor read access in kernel mode',
      ...Array.from({ length: 20 }, (_, i) => `[   5.2] filler ${i}`),
      '\x1b[0m[   9.0] WARNING: CPU: 1 PID: 42 at mm/page_alloc.c:5534 __alloc_pages+0x2d0/0x350',
    ].join('\n');
    const found = detectPanics(text);
    assert.equal(found.length, 2);
    assert.equal(found[0]!.line, '[   5.1] BUG: kernel NULL pointer dereference, address: 0000000000000000');
    assert.match(found[1]!.line, /^\[   9.0\] WARNING: CPU: 1 PID: 42/);
  });
});

describe('SerialConsole', () => {
  it('scans only what was printed since the last check, and never splits a line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serial-'));
    const log = join(dir, 'serial.log');
    writeFileSync(log, clean);
    const sc = new SerialConsole([{ name: 'n0', serialLog: log }]);
    assert.equal(sc.checkSinceLast(), undefined);
    const [head, tail] = [panic.slice(0, 2000), panic.slice(2000)];
    appendFileSync(log, head + 'Kernel pa');
    const first = sc.checkSinceLast();
    appendFileSync(log, 'nic - not syncing: test\n' + tail);
    const second = sc.checkSinceLast();
    const all = [first, second].filter(Boolean).join('\n');
    assert.match(all, /n0: /);
    assert.match(all, /Kernel panic - not syncing: test/);
    assert.equal(sc.checkSinceLast(), undefined, 'a reported panic is not reported again');
    assert.equal(sc.scan(0).panics.length >= 2, true);
    assert.deepEqual(sc.mark(), [Buffer.byteLength(readFileSync(log))]);
  });
});
