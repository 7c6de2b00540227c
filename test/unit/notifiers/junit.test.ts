import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { JUnitNotifier } from '../../../src/notifiers/junit.js';
import {
  COMBO_A,
  COMBO_B,
  feed,
  interruptedEvents,
  makeContext,
  runEvents,
  SECRET,
} from '../../fixtures/notifiers/run-events.js';

// The parts of a parsed JUnit document these tests read (attributes unprefixed, as configured).
type Property = { name: string; value: string };
type Outcome = { message: string; '#text': string };
type TestCase = {
  name: string;
  classname: string;
  time: string;
  failure?: Outcome;
  skipped?: Outcome;
  'system-out'?: string;
  properties?: { property: Property[] };
};
type TestSuite = { name: string; timestamp: string; testcase: TestCase[]; properties?: { property: Property[] } };
type Doc = { testsuites: { tests: string; failures: string; skipped: string; testsuite: TestSuite[] } };
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): Doc {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  return parser.parse(xml) as Doc;
}

function withRunDir(fn: (runDir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'lisa-junit-'));
    try {
      await fn(runDir);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  };
}

function cases(doc: Doc): TestCase[] {
  return doc.testsuites.testsuite.flatMap((s) => s.testcase);
}

test(
  'one testsuite per combination and suite, with honest statuses',
  withRunDir(async (runDir) => {
    const notifier = new JUnitNotifier(makeContext(runDir));
    await feed(notifier, runEvents(runDir));
    await notifier.finish();
    const xml = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    const doc = parse(xml);
    const suites = doc.testsuites.testsuite;
    assert.deepEqual(
      suites.map((s) => s.name),
      [`core [${COMBO_A}]`, `net [${COMBO_A}]`, `storage [${COMBO_A}]`, `perf [${COMBO_A}]`, `core [${COMBO_B}]`],
    );
    assert.equal(suites[0]!.timestamp, '2026-11-22T08:00:04Z', 'UTC, with its zone');
    assert.equal(doc.testsuites.tests, '9');
    assert.equal(doc.testsuites.failures, '1');
    assert.equal(doc.testsuites.skipped, '2', 'skipped + attempted');

    const all = cases(doc);
    const byName = new Map(all.map((c) => [`${c.classname}|${c.name}`, c]));
    const boot = byName.get(`core|boot [${COMBO_A}]`)!;
    assert.equal(boot.time, '12.345');
    assert.equal(boot.failure, undefined);
    assert.ok(boot.properties?.property.some((p) => p.name === 'metric.boot_time' && p.value === '8.2 s'));

    const klog = byName.get(`core|kernel_log [${COMBO_A}]`)!;
    const failure = klog.failure;
    assert.ok(failure, 'kernel_log failed');
    assert.match(failure.message, /^dmesg has 2 errors: BUG at <script>/, 'ANSI stripped, text kept');
    assert.match(failure['#text'], /no_call_trace: Call Trace at ext4_readdir/);
    assert.match(failure['#text'], /log: cases\/.*kernel_log.*\/case\.log/, 'log path relative to the report');
    assert.match(failure['#text'], /\\x01/, 'control characters are shown, not written raw');
    assert.match(failure['#text'], /second line/);

    const sriov = byName.get(`net|sriov [${COMBO_A}]`)!;
    assert.equal(sriov.skipped?.message, 'needs feature Sriov, which qemu does not offer');
    const fio = byName.get(`storage|fio [${COMBO_A}]`)!;
    assert.equal(fio.skipped?.message, 'ATTEMPTED: fio not installable on this image');
    assert.match(fio['system-out'] ?? '', /ATTEMPTED/);

    const flaky = byName.get(`core|flaky [${COMBO_A}]`)!;
    assert.equal(flaky.failure, undefined, 'passed on retry');
    assert.match(flaky['system-out'] ?? '', /attempt 1: FAILED timeout waiting for ssh/);

    assert.ok(byName.has(`perf|iperf [iteration 1] [${COMBO_A}]`));
    assert.ok(byName.has(`perf|iperf [iteration 2] [${COMBO_A}]`));
    assert.ok(byName.has(`core|kernel_log [${COMBO_B}]`));

    const props = suites[0]?.properties?.property ?? [];
    assert.ok(props.some((p) => p.name === 'image' && p.value === 'debian12'));
    assert.ok(props.some((p) => p.name === 'admin_password' && p.value === '******'));
    assert.ok(props.some((p) => p.name === 'lisa.combination' && p.value === COMBO_A));

    assert.ok(!xml.includes(SECRET), 'the secret never reaches the report');
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml), 'no raw control characters');
    assert.deepEqual(
      readdirSync(runDir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left',
    );
  }),
);

test(
  'the file is complete after every case.end, before finish()',
  withRunDir(async (runDir) => {
    const notifier = new JUnitNotifier(makeContext(runDir));
    const events = runEvents(runDir);
    const firstEnd = events.findIndex((e) => e.type === 'case.end');
    await feed(notifier, events.slice(0, firstEnd));
    assert.ok(!existsSync(join(runDir, 'junit.xml')), 'nothing to report before the first case ends');
    await feed(notifier, events.slice(firstEnd, firstEnd + 1));
    const doc = parse(readFileSync(join(runDir, 'junit.xml'), 'utf8'));
    assert.deepEqual(
      cases(doc).map((c) => c.name),
      [`boot [${COMBO_A}]`],
      'queued cases are not reported mid-run',
    );
  }),
);

test(
  'an interrupted run reports unfinished cases as skipped',
  withRunDir(async (runDir) => {
    const notifier = new JUnitNotifier(makeContext(runDir));
    const events = runEvents(runDir);
    await feed(
      notifier,
      events.slice(0, events.findIndex((e) => e.type === 'case.begin' && e.case.name === 'fio') + 1),
    );
    await notifier.finish();
    const all = cases(parse(readFileSync(join(runDir, 'junit.xml'), 'utf8')));
    const fio = all.find((c) => c.name.startsWith('fio'))!;
    assert.match(fio.skipped?.message ?? '', /UNFINISHED: the run ended while the case was running/);
    assert.equal(all.length, 7);
  }),
);

test(
  'cases cut short by Ctrl-C are skipped as UNFINISHED, never failed',
  withRunDir(async (runDir) => {
    const notifier = new JUnitNotifier(makeContext(runDir));
    await feed(notifier, interruptedEvents(runDir));
    await notifier.finish();
    const doc = parse(readFileSync(join(runDir, 'junit.xml'), 'utf8'));
    assert.equal(doc.testsuites.failures, '1');
    const all = cases(doc);
    assert.equal(
      all.find((c) => c.name.startsWith('fio'))?.skipped?.message,
      'UNFINISHED: interrupted while running (Ctrl-C)',
    );
    assert.equal(
      all.find((c) => c.name.startsWith('flaky'))?.skipped?.message,
      'UNFINISHED: not run: the run was interrupted',
    );
  }),
);

test(
  'a failed attempt that will be retried is not written as a result',
  withRunDir(async (runDir) => {
    const notifier = new JUnitNotifier(makeContext(runDir));
    const events = runEvents(runDir);
    await feed(notifier, events.slice(0, events.findIndex((e) => e.type === 'case.end' && e.willRetry) + 1));
    const doc = parse(readFileSync(join(runDir, 'junit.xml'), 'utf8'));
    assert.ok(!cases(doc).some((c) => c.name.startsWith('flaky')));
    assert.equal(doc.testsuites.failures, '1');
  }),
);

test(
  'option path sets the file; default combination keeps plain names',
  withRunDir(async (runDir) => {
    const path = join(runDir, 'out', 'report.xml');
    const notifier = new JUnitNotifier(makeContext(runDir), { path });
    const events = runEvents(runDir).map(
      (e) => JSON.parse(JSON.stringify(e).replaceAll(COMBO_A, 'default')) as typeof e,
    );
    await feed(notifier, events);
    await notifier.finish();
    const doc = parse(readFileSync(path, 'utf8'));
    assert.equal(doc.testsuites.testsuite[0]?.name, 'core');
    assert.equal(doc.testsuites.testsuite[0]?.testcase[0]?.name, 'boot');
  }),
);

test('characters XML forbids (ESC of coloured output, NUL) are replaced, so the report stays readable', async () => {
  const { attr, cdata } = await import('../../../src/notifiers/junit-xml.js');
  const nasty = 'red \u001b[31mFAIL\u001b[0m nul\u0000 bell\u0007 "q" <a>&\nline2';
  const doc = `<?xml version="1.0"?><t m="${attr(nasty)}">${cdata(nasty + ']]>')}</t>`;
  assert.equal(XMLValidator.validate(doc), true);
  // htmlEntities: decode numeric character references, as Java's and Python's XML readers do.
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(doc) as {
    t: { m: string; '#text': string };
  };
  assert.equal(parsed.t.m, 'red \uFFFD[31mFAIL\uFFFD[0m nul\uFFFD bell\uFFFD "q" <a>&\nline2');
  assert.ok(parsed.t['#text'].endsWith('line2]]>'));
});
