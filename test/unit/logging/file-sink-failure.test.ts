import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fsErrorText } from '../../../src/logging/fs-errors.js';
import { FileSink, Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';

test('a log file on a full device (/dev/full) is said once on the other sinks, and logging goes on', () => {
  const file = new FileSink('/dev/full');
  const console = new MemorySink();
  const log = new Logger('case', [file, console], new SecretMasker());
  log.info('one');
  log.info('two');
  log.warn('three');
  assert.deepEqual(console.lines, [
    'error [case] cannot write /dev/full: no space left on the device; this log stops here',
    'info [case] one',
    'info [case] two',
    'warn [case] three',
  ]);
  assert.equal(file.writeError, 'cannot write /dev/full: no space left on the device; this log stops here');
});

test('a log file whose directory is a file: the path and the reason in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-sink-'));
  try {
    writeFileSync(join(dir, 'blocker'), '');
    const sink = new FileSink(join(dir, 'blocker', 'case.log'));
    const other = new MemorySink();
    new Logger('lisa', [sink, other], new SecretMasker()).info('hello');
    assert.match(
      other.lines[0]!,
      /^error \[lisa\] cannot write .*blocker\/case\.log: a part of the path is not a directory; this log stops here$/,
    );
    assert.equal(other.lines[1], 'info [lisa] hello');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the failure line is masked like any other', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-sink-'));
  try {
    writeFileSync(join(dir, 's3cr3t-dir'), '');
    const masker = new SecretMasker();
    masker.add('s3cr3t-dir');
    const other = new MemorySink();
    new Logger('lisa', [new FileSink(join(dir, 's3cr3t-dir', 'y.log')), other], masker).info('hi');
    assert.match(other.lines[0]!, /cannot write .*y\.log/);
    assert.doesNotMatch(other.lines.join('\n'), /s3cr3t-dir/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fsErrorText: errno codes in words, unknown ones without the code and syscall', () => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code, syscall: 'write' });
  assert.equal(fsErrorText(err('ENOSPC', 'ENOSPC: no space left on device, write')), 'no space left on the device');
  assert.equal(fsErrorText(err('EROFS', "EROFS: read-only file system, mkdir '/x'")), 'the file system is read-only');
  assert.equal(
    fsErrorText(err('EXDEV', "EXDEV: cross-device link not permitted, rename '/a' -> '/b'")),
    'cross-device link not permitted',
  );
});
