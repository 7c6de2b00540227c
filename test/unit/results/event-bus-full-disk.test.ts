import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { EventBus } from '../../../src/results/event-bus.js';
import { readEventsFile } from '../../../src/results/events-file.js';

// A real full disk: a 64 KiB tmpfs (tests run as root, as CI does), filled up to a few bytes.
const mnt = mkdtempSync(join(tmpdir(), 'lisa-full-'));
before(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]));
after(() => {
  execFileSync('umount', ['-l', mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

test('a full disk: events.jsonl keeps only whole records, one clear error, listeners still get events', async () => {
  const file = join(mnt, 'events.jsonl');
  const sink = new MemorySink();
  const bus = new EventBus(file, new SecretMasker(), new Logger('run', [sink], new SecretMasker()));
  const seen: string[] = [];
  bus.subscribe({ onEvent: (e) => void seen.push(e.type) });
  bus.emit({ type: 'run.begin', runName: 'full', runDir: mnt, combinations: 1 } as never);
  // Leave less room than the next record needs, so its write stops part-way.
  const free = statfsSync(mnt).bavail * statfsSync(mnt).bsize;
  writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - 200)));
  bus.emit({ type: 'run.begin', runName: 'x'.repeat(5000), runDir: mnt, combinations: 1 } as never);
  bus.emit({ type: 'run.begin', runName: 'after', runDir: mnt, combinations: 1 } as never);
  await bus.flush();
  bus.close();

  const text = readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\n'), 'no torn last line');
  const { events, tornTail } = readEventsFile(file);
  assert.equal(tornTail, false);
  assert.equal(events.length, 1);
  assert.match(bus.writeError ?? '', /^cannot write .*events\.jsonl: no space left on the device$/);
  assert.equal(sink.lines.filter((l) => l.includes('no space left')).length, 1, sink.lines.join('\n'));
  assert.deepEqual(seen, ['run.begin', 'run.begin', 'run.begin']);
});

test('the reader skips a torn tail and names a corrupt line elsewhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-torn-'));
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, '{"type":"run.begin"}\n{"type":"case.end","sta');
  assert.deepEqual(readEventsFile(file), { events: [{ type: 'run.begin' }], tornTail: true });
  writeFileSync(file, '{"type":"run.begin"}\n{oops\n{"type":"run.end"}\n');
  assert.throws(() => readEventsFile(file), /events\.jsonl:2: not a JSON record/);
  rmSync(dir, { recursive: true, force: true });
});
