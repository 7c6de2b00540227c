import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleNotifier } from '../../../src/notifiers/console.js';
import { HtmlNotifier } from '../../../src/notifiers/html.js';
import { JsonNotifier } from '../../../src/notifiers/json.js';
import { JUnitNotifier } from '../../../src/notifiers/junit.js';
import { ReportFile, sharedWriteBudget, WriteBudget } from '../../../src/notifiers/report-file.js';
import type { Notifier, NotifierContext } from '../../../src/notifiers/types.js';
import { ResultsModel } from '../../../src/results/results-model.js';
import { makeContext, runEvents } from '../../fixtures/notifiers/run-events.js';

const REPORTS = ['results.json', 'junit.xml', 'report.html'];

function notifiers(ctx: NotifierContext): Notifier[] {
  return [new ConsoleNotifier(ctx), new JsonNotifier(ctx), new JUnitNotifier(ctx), new HtmlNotifier(ctx)];
}

/** The reports without the times they were written at. */
function reports(runDir: string): string[] {
  return REPORTS.map((f) =>
    readFileSync(join(runDir, f), 'utf8')
      .replace(/"generatedAt": "[^"]*"/, '')
      .replace(/updated [0-9T:.-]+Z/, ''),
  );
}

test('notifiers given the run’s results read them; the reports are those of notifiers folding their own', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'lisa-shared-'));
  try {
    // One after the other in the same run directory: links in the reports are relative to it.
    const events = runEvents(runDir);
    const a = makeContext(runDir);
    for (const n of notifiers(a)) {
      for (const e of events) await n.onEvent(e);
      await n.finish();
    }
    const own = reports(runDir);
    const model = new ResultsModel();
    const b = { ...makeContext(runDir), results: model };
    const bs = notifiers(b);
    // As the run does it: the model first, then every notifier, event by event.
    for (const e of events) {
      model.apply(e);
      for (const n of bs) await n.onEvent(e);
    }
    for (const n of bs) await n.finish();
    assert.deepEqual(reports(runDir), own);
    assert.ok(own[0]!.includes('core.kernel_log'), 'the reports hold the cases');
    assert.equal(b.out.text, a.out.text, 'the console agrees too');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('a notifier with the run’s results does not fold the events itself', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'lisa-shared-'));
  try {
    const events = runEvents(runDir);
    const model = new ResultsModel();
    const json = new JsonNotifier({ ...makeContext(runDir), results: model });
    // The model is left behind at run.begin: the notifier sees every event, the model none of the cases.
    model.apply(events[0]!);
    for (const e of events) json.onEvent(e);
    await json.finish();
    const doc = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { cases: unknown[]; status: string };
    assert.deepEqual(doc.cases, [], 'one copy of the results: the shared one');
    assert.equal(doc.status, 'RUNNING');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('report files of one context share one write budget; a spent budget defers every one of them', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'lisa-budget-'));
  try {
    const ctx = makeContext(runDir);
    assert.equal(sharedWriteBudget(ctx), sharedWriteBudget(ctx));
    assert.notEqual(sharedWriteBudget(ctx), sharedWriteBudget(makeContext(runDir)));
    const spent = new WriteBudget();
    // Far beyond a tenth of the time since the budget started, plus the grace.
    spent.spentMs = 60_000;
    let writes = 0;
    const deferred = new ReportFile(join(runDir, 'a.txt'), () => `a${++writes}`, ctx.log, 0, spent);
    const fresh = new ReportFile(join(runDir, 'b.txt'), () => `b${++writes}`, ctx.log, 0, new WriteBudget());
    deferred.update();
    fresh.update();
    assert.equal(writes, 1, 'only the file with budget left was written at once');
    assert.equal(readFileSync(join(runDir, 'b.txt'), 'utf8'), 'b1');
    deferred.flush();
    assert.equal(readFileSync(join(runDir, 'a.txt'), 'utf8'), 'a2', 'flush always writes');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
