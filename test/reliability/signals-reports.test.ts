/**
 * Signals around report writing, through the real CLI on a local node. A Ctrl-C while the reports
 * are being written lets them finish and exits 130; a second Ctrl-C exits at once, and what is on
 * disk is still whole (events.jsonl record by record, reports parse, no temporary files left).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { allFiles, onlyRunDir, startCli, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;

before(() => {
  dir = tempDir('lisa-sig-reports-');
  mkdirSync(join(dir, 'suite'));
  writeFileSync(
    join(dir, 'suite', 'cases.mjs'),
    `import { defineSuite } from 'lisa-ts';
export default defineSuite({
  name: 'sig',
  area: 'sig',
  cases: [
    { name: 'quick', tags: ['quick', 'long'], async run(ctx) { await ctx.node.execute('true'); } },
    { name: 'long', tags: ['long'], timeoutMs: 600000, async run(ctx) { await ctx.node.execute('sleep 300'); } },
  ],
});
`,
  );
  // A report that takes 2 s to write: long enough to signal in the middle of it.
  writeFileSync(
    join(dir, 'slow.mjs'),
    `import { defineNotifier, writeFileAtomic, z } from 'lisa-ts';
export default defineNotifier({
  type: 'slow',
  schema: z.strictObject({ path: z.string() }),
  create: (options) => ({
    onEvent() {},
    async finish() {
      writeFileAtomic(options.path + '.started', 'writing');
      await new Promise((r) => setTimeout(r, 2000));
      writeFileAtomic(options.path, 'whole report');
    },
  }),
});
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

function runbook(name: string, tag: string): string {
  writeFileSync(
    join(dir, `${name}.yml`),
    `name: ${name}
log_path: ${join(dir, name)}
extension: [./suite]
environment:
  environments:
    - nodes:
        - type: local
testcase:
  - criteria:
      tags: ${tag}
notifier:
  - type: console
  - type: ./slow.mjs
    path: ${join(dir, `${name}-slow.txt`)}
  - type: junit
  - type: json
  - type: html
`,
  );
  return `${name}.yml`;
}

/** Every file of the run is whole: events record by record, JSON parses, no temporary files. */
function assertWhole(runDir: string): void {
  const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8');
  assert.ok(events.endsWith('\n'), 'events.jsonl ends with a whole record');
  for (const line of events.split('\n').filter(Boolean)) JSON.parse(line);
  if (existsSync(join(runDir, 'results.json'))) JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
  if (existsSync(join(runDir, 'junit.xml'))) {
    assert.match(readFileSync(join(runDir, 'junit.xml'), 'utf8'), /<\/testsuites>\s*$/);
  }
  if (existsSync(join(runDir, 'report.html'))) {
    assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /<\/html>\s*$/);
  }
  const tmp = allFiles(runDir).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(tmp, [], 'no temporary files left');
}

test('Ctrl-C while the reports are written: they are finished, and the exit code is 130', async () => {
  const cli = startCli(['run', runbook('during', 'quick')], { cwd: dir });
  const started = join(dir, 'during-slow.txt.started');
  await waitFor(() => existsSync(started), 60_000, 'the slow report to start');
  cli.child.kill('SIGINT');
  const r = await cli.done;
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(readFileSync(join(dir, 'during-slow.txt'), 'utf8'), 'whole report', 'the write in progress finished');
  const runDir = onlyRunDir(join(dir, 'during'));
  // The reports after the slow one were written too, whole.
  for (const f of ['junit.xml', 'results.json', 'report.html']) assert.ok(existsSync(join(runDir, f)), f);
  assertWhole(runDir);
});

test('a second Ctrl-C mid-case exits at once with 130 and leaves whole files', async () => {
  const cli = startCli(['run', runbook('twice', 'long')], { cwd: dir });
  const runs = join(dir, 'twice');
  await waitFor(
    () =>
      existsSync(runs) &&
      readdirSync(runs).length === 1 &&
      existsSync(join(onlyRunDir(runs), 'events.jsonl')) &&
      readFileSync(join(onlyRunDir(runs), 'events.jsonl'), 'utf8').includes('"sig.long"'),
    60_000,
    'the long case to start',
  );
  await new Promise((r) => setTimeout(r, 300));
  cli.child.kill('SIGINT');
  await waitFor(() => /SIGINT: stopping/.test(cli.output().stderr), 5000, 'the first signal to be taken');
  const sent = Date.now();
  cli.child.kill('SIGINT');
  const r = await cli.done;
  const took = Date.now() - sent;
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.ok(took < 1500, `exited ${took} ms after the second Ctrl-C`);
  assert.match(r.stderr, /SIGINT again: exiting now/);
  assertWhole(onlyRunDir(runs));
});

test('a second Ctrl-C while the reports are written exits at once; what was written is whole', async () => {
  const cli = startCli(['run', runbook('twice-reports', 'quick')], { cwd: dir });
  await waitFor(() => existsSync(join(dir, 'twice-reports-slow.txt.started')), 60_000, 'the slow report to start');
  cli.child.kill('SIGINT');
  await waitFor(() => /SIGINT: stopping/.test(cli.output().stderr), 5000, 'the first signal to be taken');
  const sent = Date.now();
  cli.child.kill('SIGINT');
  const r = await cli.done;
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.ok(Date.now() - sent < 1500, 'exited before the slow report finished');
  assert.ok(!existsSync(join(dir, 'twice-reports-slow.txt')), 'the slow report was cut off, not written half');
  assertWhole(onlyRunDir(join(dir, 'twice-reports')));
});
