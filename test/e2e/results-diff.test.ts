import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { onlyRunDir, readyPlatformYaml, repoRoot, runCli, runDirs, tempDir, writeRunbook } from '../helpers/cli.js';
import { databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

for (const { kind, create } of databaseKinds()) {
  describe(`two nights against the same nodes, results in ${kind}`, () => {
    let nodes: Sshd[] = [];
    let db: TestDatabase;
    let dir: string;
    const markerDir = tempDir('lisa-marker-');
    // The nodes log in as a test user, who must be able to see the file.
    chmodSync(markerDir, 0o755);
    const marker = join(markerDir, 'broken.conf');
    const runbook = () =>
      writeRunbook(
        dir,
        'runbook.yml',
        `name: nightly
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/results')}
variable:
  - name: marker
    value: ${marker}
${readyPlatformYaml(nodes)}testcase:
  - criteria:
      area: results
notifier:
  - type: database
    url: ${db.url}
concurrency: 2
`,
      );
    const runs: string[] = [];

    before(async () => {
      nodes = await Promise.all([startSshd(), startSshd()]);
      db = await create();
      dir = tempDir();
      const file = runbook();
      const first = runCli(['run', file]);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      runs.push(onlyRunDir(join(dir, 'runs')));
      // The second night, the node has a broken config file: exactly one case must break.
      writeFileSync(marker, 'MaxSessions=oops\n');
      const second = runCli(['run', file]);
      assert.equal(second.code, 1, second.stdout + second.stderr);
      runs.push(...runDirs(join(dir, 'runs')).filter((d) => d !== runs[0]));
    });

    after(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await db.drop();
      rmSync(marker, { force: true });
    });

    test('lisa diff names exactly the broken case as a new failure and exits 1', () => {
      const r = runCli(['diff', runs[1]!, '--db', db.url, '--json']);
      assert.equal(r.code, 1, r.stderr);
      const d = JSON.parse(r.stdout) as {
        newFailures: { caseId: string; message: string }[];
        fixed: unknown[];
        regressed: boolean;
      };
      assert.deepEqual(
        d.newFailures.map((c) => c.caseId),
        ['results.config_file'],
      );
      assert.match(d.newFailures[0]!.message, /broken config: MaxSessions=oops/);
      assert.deepEqual(d.fixed, []);
      const text = runCli(['diff', runs[1]!, '--db', db.url]);
      assert.equal(text.code, 1);
      assert.match(
        text.stdout,
        /new failures \(1\):\n {2}results\.config_file \(was PASSED\): the node has a broken config/,
      );
      assert.match(text.stdout, /verdict: REGRESSED/);
    });

    test('against the last passing run by run id; the first night against nothing passes', () => {
      const id = runs[1]!.split('/').pop()!;
      const r = runCli(['diff', id, '--db', db.url, '--baseline', 'last-passing', '--json']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { baseline: string }).baseline, runs[0]!.split('/').pop());
      const firstNight = runCli(['diff', runs[0]!, '--db', db.url]);
      assert.equal(firstNight.code, 0, firstNight.stdout + firstNight.stderr);
      assert.match(firstNight.stdout, /no previous baseline/);
    });

    test('lisa history shows the status trend of the broken case', () => {
      const r = runCli(['history', 'results.config_file', '--db', db.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /results\.config_file\s+default\s+2\s+1\s+1\s+0\s+50%.*PF/);
      assert.match(r.stdout, /last failure of results\.config_file .*broken config/);
      const area = runCli(['history', 'results', '--db', db.url, '--json']);
      const trends = (JSON.parse(area.stdout) as { trends: { caseId: string }[] }).trends;
      assert.equal(trends.length, 11);
    });
  });
}

test('lisa diff and history name a missing database and a missing run, exit 2', () => {
  const dir = tempDir();
  const r = runCli(['history', 'x', '--db', `sqlite:${join(dir, 'none.db')}`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: no results database at .*none\.db: add \{type: database\}/);
  const d = runCli(['diff', 'nope', '--db', `sqlite:${join(dir, 'none.db')}`]);
  assert.equal(d.code, 2);
});
