import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleNotifier, type ProgressMode } from '../../../src/notifiers/console.js';
import { clip } from '../../../src/notifiers/console-live.js';
import { stripAnsi } from '../../../src/notifiers/format.js';
import {
  COMBO_A,
  feed,
  interruptedEvents,
  makeContext,
  runEvents,
  SECRET,
} from '../../fixtures/notifiers/run-events.js';

type Events = ReturnType<typeof runEvents>;
async function output(
  opts: {
    debug?: boolean;
    color?: string;
    tty?: boolean;
    progress?: ProgressMode;
    cut?: (e: Events) => number;
    events?: Events;
  } = {},
) {
  const ctx = makeContext('/runs/r1', opts.debug ?? false);
  ctx.out.isTTY = opts.tty ?? false;
  const notifier = new ConsoleNotifier(ctx, {
    ...(opts.color ? { color: opts.color } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  const events = opts.events ?? runEvents('/runs/r1');
  await feed(notifier, opts.cut ? events.slice(0, opts.cut(events)) : events);
  await notifier.finish();
  return ctx.out.text;
}

test('one line per finished case, environments, and a summary with failures last', async () => {
  const raw = await output();
  assert.equal(raw, stripAnsi(raw), 'no colour when the stream is not a TTY');
  const lines = raw.trimEnd().split('\n');
  assert.ok(lines.includes(`env env-1 [${COMBO_A}] on qemu: vm0 (127.0.0.1:2222, Debian 12, 2 cores, 2048 MiB)`));
  assert.ok(lines.includes(`PASSED    core.boot (${COMBO_A}) 12.3s`));
  assert.ok(lines.includes(`SKIPPED   net.sriov (${COMBO_A}) 5ms - needs feature Sriov, which qemu does not offer`));
  assert.ok(lines.includes(`ATTEMPTED storage.fio (${COMBO_A}) 900ms - fio not installable on this image`));
  assert.ok(
    lines.includes(`RETRY     core.flaky (${COMBO_A}) 1m00s attempt 1 - timeout waiting for ssh`),
    'a retried failure is not a failure',
  );
  assert.ok(lines.includes(`PASSED    core.flaky (${COMBO_A}) 2.0s attempt 2`));
  assert.ok(lines.includes(`PASSED    perf.iperf [iteration 2] (${COMBO_A}) 31.0s`));
  assert.ok(lines.includes('PASSED    core.boot (image=ubuntu24) 11.0s'), 'combination shown when not default');
  const failed = lines.find((l) => l.startsWith('FAILED    core.kernel_log'))!;
  assert.match(failed, /3\.0s - dmesg has 2 errors: BUG at <script>/);
  assert.ok(!failed.includes('second line'), 'one line per case without --debug');
  assert.ok(!lines.some((l) => l.includes('start ')), 'case.begin only with --debug');

  const summaryAt = lines.findIndex((l) => l.startsWith('FAILED: 9 cases'));
  assert.ok(summaryAt > 0);
  assert.match(lines[summaryAt]!, /6 passed, 1 failed, 1 skipped, 1 attempted\) in 3m20s$/);
  const tail = lines.slice(summaryAt + 1).join('\n');
  assert.match(tail, /Failures \(1\):\n  FAILED core\.kernel_log \(image=debian12\)\n    dmesg has 2 errors/);
  assert.match(tail, /failed sub-result no_call_trace: Call Trace at ext4_readdir/);
  assert.equal(
    lines.at(-1),
    '    log: /runs/r1/cases/image=debian12_core.kernel_log_1/case.log',
    'the failure list ends the output',
  );
  assert.ok(!raw.includes(SECRET));
  assert.ok(raw.includes('password=******'));
  assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(raw), 'guest control characters never reach the terminal');
});

test('--debug shows case starts, sub-results, metrics and whole messages', async () => {
  const lines = (await output({ debug: true })).split('\n');
  assert.ok(lines.some((l) => l.startsWith(`  start core.kernel_log (${COMBO_A}) on env-1, log /runs/r1/cases/`)));
  assert.ok(lines.includes('    FAILED    no_call_trace: Call Trace at ext4_readdir'));
  assert.ok(lines.includes('    metric throughput = 812.4 MB/s'));
  assert.ok(lines.includes('          second line'));
});

test('colour follows the terminal and NO_COLOR; color: always/never override', async () => {
  const saved = process.env['NO_COLOR'];
  try {
    delete process.env['NO_COLOR'];
    assert.match(await output({ tty: true, progress: 'lines' }), /\u001b\[32mPASSED/);
    assert.match(await output({ tty: true }), /\u001b\[32m6 passed/, 'the live summary is coloured too');
    process.env['NO_COLOR'] = '1';
    assert.doesNotMatch(await output({ tty: true }), /\u001b\[[0-9;]*m/);
    assert.match(await output({ color: 'always' }), /\u001b\[31mFAILED/);
    delete process.env['NO_COLOR'];
    assert.doesNotMatch(await output({ tty: true, color: 'never' }), /\u001b\[[0-9;]*m/);
  } finally {
    if (saved === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = saved;
  }
});

test('an interrupted run still gets its summary, once', async () => {
  const raw = await output({ cut: (ev) => ev.findIndex((e) => e.type === 'case.begin' && e.case.name === 'fio') + 1 });
  assert.match(raw, /INTERRUPTED: 7 cases \(1 passed, 1 failed, 1 skipped, 0 attempted, 4 unfinished\)/);
  assert.equal(raw.match(/INTERRUPTED:/g)?.length, 1);
});

test('Ctrl-C as the engine reports it: cut-short cases are unfinished, not failures', async () => {
  const raw = await output({ events: interruptedEvents('/runs/r1') });
  assert.match(raw, /INTERRUPTED: 7 cases \(1 passed, 1 failed, 1 skipped, 0 attempted, 4 unfinished\) in 22\.0s/);
  const failures = raw.slice(raw.indexOf('Failures (1):'));
  assert.ok(!failures.includes('fio'), 'the interrupted case is not listed as a failure');
  const debug = await output({ debug: true, events: interruptedEvents('/runs/r1') });
  assert.match(debug, /UNFINISHED storage\.fio \(image=debian12\) - interrupted while running \(Ctrl-C\)/);
});

test('on a terminal: a status block redrawn in place, only failures and retries as lines, then the summary', async () => {
  const ctx = makeContext('/runs/r1');
  ctx.out.isTTY = true;
  const notifier = new ConsoleNotifier(ctx, { color: 'never' });
  const events = runEvents('/runs/r1');
  const boot = events.findIndex((e) => e.type === 'case.begin' && e.case.name === 'boot') + 1;
  await feed(notifier, events.slice(0, boot));
  // Redraws are throttled to one per 100 ms: waiting lets the block show the running case.
  await new Promise((r) => setTimeout(r, 250));
  await feed(notifier, events.slice(boot));
  await notifier.finish();
  const raw = ctx.out.text;
  // Each redraw moves to the block's first line and clears the screen below it.
  assert.match(raw, /\u001b\[\d+F\u001b\[J/);
  assert.match(raw, /\d+\/9 done/);
  assert.match(raw, /env-1 \[image=debian12\]: running core\.boot/, "the environment's current case");
  const text = raw.replace(/\u001b\[\d+F\u001b\[J/g, '\n');
  assert.ok(!/^PASSED {4}/m.test(text), 'passed cases are counted, not listed');
  assert.ok(!/^SKIPPED {3}/m.test(text), 'skipped cases too');
  assert.match(
    text,
    /^FAILED {4}core\.kernel_log \(image=debian12\) 3\.0s - dmesg has 2 errors/m,
    'failures as they happen',
  );
  assert.match(text, /^RETRY {5}core\.flaky/m);
  // The last thing written is the summary, after the block was erased for good.
  const tail = raw.slice(raw.lastIndexOf('\u001b[J') + 3);
  assert.match(tail, /^\nFAILED: 9 cases \(6 passed, 1 failed, 1 skipped, 1 attempted\)/);
  assert.ok(!tail.includes(' done'), 'no status block left over');
  assert.ok(!raw.includes(SECRET));
});

test('--debug and progress: lines keep a line per case on a terminal; progress: live forces the block', async () => {
  assert.match(await output({ tty: true, debug: true, color: 'never' }), /^PASSED {4}core\.boot/m);
  assert.match(await output({ tty: true, progress: 'lines', color: 'never' }), /^PASSED {4}core\.boot/m);
  assert.match(await output({ tty: false, progress: 'live' }), /\d+\/9 done/);
});

test('status lines are cut to the terminal width without splitting colour codes', () => {
  assert.equal(clip('abcdef', 4), 'abc…');
  assert.equal(clip('\u001b[32mabcdef\u001b[0m', 4), '\u001b[32mabc…\u001b[0m');
  assert.equal(clip('ab\u001b[1mcd\u001b[0m', 10), 'ab\u001b[1mcd\u001b[0m');
});
