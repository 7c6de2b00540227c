import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseNotifier } from '../../../src/notifiers/database.js';
import { createNotifier } from '../../../src/notifiers/registry.js';
import { openDatabase } from '../../../src/results/db/open.js';
import { currentVersion, SCHEMA_VERSION } from '../../../src/results/db/migrations.js';
import { caseHistory, findRun, runCases } from '../../../src/results/db/queries.js';
import { COMBO_A, feed, makeContext, runEvents, SECRET } from '../../fixtures/notifiers/run-events.js';
import { databaseKinds } from '../../helpers/databases.js';

const TABLES = ['runs', 'combinations', 'environments', 'cases', 'attempts', 'sub_results', 'metrics'];

for (const { kind, create } of databaseKinds()) {
  test(`${kind}: migrations create the schema once and refuse a newer one`, async () => {
    const t = await create();
    try {
      const db = await openDatabase(t.url);
      assert.equal(await currentVersion(db), SCHEMA_VERSION);
      await db.close();
      const again = await openDatabase(t.url);
      const rows = await again.all<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations');
      assert.equal(Number(rows[0]!.n), SCHEMA_VERSION, 'reopening applies nothing twice');
      await again.run('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)', [
        SCHEMA_VERSION + 1,
        'from the future',
        'now',
      ]);
      await again.close();
      await assert.rejects(
        openDatabase(t.url),
        new RegExp(
          `schema version ${SCHEMA_VERSION + 1}, newer than this lisa knows \\(${SCHEMA_VERSION}\\): upgrade lisa`,
        ),
      );
    } finally {
      await t.drop();
    }
  });

  test(`${kind}: the notifier writes run, combinations, environments, cases, attempts, sub-results and metrics`, async () => {
    const t = await create();
    try {
      const ctx = makeContext('/tmp/lisa-runs/run-20261122');
      const events = runEvents(ctx.runDir);
      const notifier = new DatabaseNotifier(ctx, { url: t.url });
      // Written as each case ends: after the first case.end its row is in the database.
      const firstEnd = events.findIndex((e) => e.type === 'case.end');
      await feed(notifier, events.slice(0, firstEnd + 1));
      const probe = await openDatabase(t.url);
      const early = await probe.all<{ case_id: string; status: string }>('SELECT case_id, status FROM cases');
      assert.deepEqual(early, [{ case_id: 'core.boot', status: 'PASSED' }]);

      await feed(notifier, events.slice(firstEnd + 1));
      await notifier.finish();
      assert.deepEqual(
        ctx.sink.lines.filter((l) => l.startsWith('error')),
        [],
      );
      const counts = await countRows(probe);
      assert.deepEqual(counts, {
        runs: 1,
        combinations: 2,
        environments: 2,
        cases: 9,
        attempts: 10,
        sub_results: 3,
        metrics: 3,
      });

      const run = (await findRun(probe, 'run-20261122'))!;
      assert.equal(run.status, 'FAILED');
      assert.equal(run.failed, 1);
      assert.equal(run.total, 9);
      assert.equal((await findRun(probe, '/tmp/lisa-runs/run-20261122'))?.pk, run.pk, 'found by its directory too');
      const cases = await runCases(probe, run.pk);
      const flaky = cases.find((c) => c.caseId === 'core.flaky')!;
      assert.equal(flaky.status, 'PASSED');
      assert.equal(flaky.attempts, 2);
      assert.equal(flaky.durationMs, 62_000);
      const iperf = cases.find((c) => c.runCaseId === `${COMBO_A}/perf.iperf#1`)!;
      assert.deepEqual(iperf.metrics, [{ name: 'throughput', value: 812.4, unit: 'MB/s', higherIsBetter: true }]);

      const env = await probe.all<Record<string, string>>(
        'SELECT env_id, image, distro, vm_size, kernel FROM environments ORDER BY env_id',
      );
      assert.deepEqual(env[0], {
        env_id: 'env-1',
        image: 'debian12',
        distro: 'Debian 12',
        vm_size: '2 cores, 2048 MiB',
        kernel: null,
      });
      const klog = await probe.all<{ message: string }>("SELECT message FROM cases WHERE case_id = 'core.kernel_log'");
      const vars = await probe.all<{ variables: string }>('SELECT variables FROM combinations');
      for (const text of [...klog.map((r) => r.message), ...vars.map((r) => r.variables)]) {
        assert.ok(!text.includes(SECRET), `secret in ${text}`);
      }
      const subs = await probe.all<{ name: string; status: string }>(
        'SELECT name, status FROM sub_results ORDER BY id',
      );
      assert.deepEqual(
        subs.map((s) => `${s.name}:${s.status}`),
        ['no_oops:PASSED', 'no_call_trace:FAILED', 'reconnect:PASSED'],
      );

      // Replaying the same events (resume, merge-reports) converges on the same rows.
      const replay = new DatabaseNotifier(makeContext(ctx.runDir), { url: t.url });
      await feed(replay, events);
      await replay.finish();
      assert.deepEqual(await countRows(probe), counts);

      const history = await caseHistory(probe, 'core');
      assert.equal(history.length, 5, 'suite core: boot, kernel_log and flaky, then boot and kernel_log');
      await probe.close();
    } finally {
      await t.drop();
    }
  });
}

test('a database that cannot be reached is one error in the log, and the run goes on', async () => {
  const ctx = makeContext('/tmp/lisa-runs/x');
  const notifier = new DatabaseNotifier(ctx, { url: 'postgresql://lisa:pw@127.0.0.1:1/none' });
  await feed(notifier, runEvents(ctx.runDir));
  await notifier.finish();
  const errors = ctx.sink.lines.filter((l) => l.startsWith('error'));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /results database postgresql:\/\/lisa:\*\*\*@127\.0\.0\.1:1\/none: cannot connect/);
});

test('the database notifier checks its url option and defaults to results.db beside the run directories', async () => {
  const ctx = makeContext('/srv/lisa/runs/20261122-smoke');
  const make = (options: Record<string, unknown>) => createNotifier({ type: 'database', options }, ctx);
  await assert.rejects(make({ url: 'mysql://x' }), /option "url": must be sqlite:PATH or postgresql:\/\//);
  await assert.rejects(make({ path: 'x' }), /path/);
  assert.equal(((await make({})) as DatabaseNotifier).url, 'sqlite:/srv/lisa/runs/results.db');
});

async function countRows(db: Awaited<ReturnType<typeof openDatabase>>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  return out;
}
