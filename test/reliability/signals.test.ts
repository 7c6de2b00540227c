import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import type { ResultsJson } from '../../src/notifiers/json.js';
import {
  onlyRunDir,
  readEvents,
  readyPlatformYaml,
  repoRoot,
  startCli,
  tempDir,
  writeRunbook,
} from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { waitFor } from '../helpers/wait.js';

let node: Sshd;
/** Accepts TCP on loopback and never says a word: an SSH connect to it can only time out. */
let blackhole: Server;
const held: Socket[] = [];
let blackholePort = 0;

before(async () => {
  node = await startSshd();
  blackhole = createServer((s) => {
    held.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
  blackholePort = (blackhole.address() as { port: number }).port;
});
after(async () => {
  for (const s of held) s.destroy();
  blackhole.close();
  await node.stop();
});

function runbook(dir: string, platform: string, extra = ''): string {
  return writeRunbook(
    dir,
    'runbook.yml',
    `name: signals
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
${platform}testcase:
  - criteria:
      tags: interrupt
notifier:
  - type: console
  - type: junit
  - type: json
  - type: html
${extra}`,
  );
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} while connecting to a node that never answers exits 130 at once, not after the connect timeout`, async () => {
    const dir = tempDir('lisa-sig-');
    const key = join(dir, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const file = runbook(
      dir,
      readyPlatformYaml([{ host: '127.0.0.1', port: blackholePort, username: 'nobody', privateKeyFile: key }]),
    );
    const cli = startCli(['run', file]);
    // The run has started (its handler is installed) once it names its run directory.
    await waitFor(() => /^Run signals /m.test(cli.output().stdout), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const sent = Date.now();
    cli.child.kill(sig);
    const result = await cli.done;
    const took = Date.now() - sent;
    assert.equal(result.code, 130, result.stderr);
    assert.ok(took < 3000, `exited ${took} ms after ${sig}`);
    assert.match(result.stderr, new RegExp(`${sig}: stopping`));
    if (sig === 'SIGTERM') assert.doesNotMatch(result.stderr + result.stdout, /Ctrl-C/);
    const end = readEvents(onlyRunDir(join(dir, 'runs'))).at(-1) as RunEventOf<'run.end'>;
    assert.equal(end.status, 'INTERRUPTED');
  });
}

test('SIGTERM mid-case: named SIGTERM, and the case is UNFINISHED on its line, in the summary, JSON, JUnit and HTML', async () => {
  const dir = tempDir('lisa-sig-');
  const cli = startCli(['run', runbook(dir, readyPlatformYaml([node]))]);
  const runs = join(dir, 'runs');
  await waitFor(() => existsSync(runs) && readEvents(onlyRunDir(runs)).some((e) => e.type === 'case.begin'), 60_000);
  await new Promise((r) => setTimeout(r, 500));
  cli.child.kill('SIGTERM');
  const result = await cli.done;
  assert.equal(result.code, 130, result.stderr);
  const console = result.stdout + result.stderr;
  assert.doesNotMatch(console, /Ctrl-C/, 'SIGTERM is not Ctrl-C');
  assert.match(console, /SIGTERM: stopping/);
  assert.match(console, /^UNFINISHED e2e\.long_wait .* - interrupted while running \(SIGTERM\)$/m);
  assert.doesNotMatch(console, /^FAILED/m);
  assert.match(console, /INTERRUPTED: 2 cases \(0 passed, 0 failed, 0 skipped, 0 attempted, 2 unfinished\)/);

  const runDir = onlyRunDir(runs);
  const ended = readEvents(runDir).find(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end' && e.case.caseId === 'e2e.long_wait',
  )!;
  assert.equal(ended.message, 'interrupted while running (SIGTERM)');
  assert.equal(ended.unfinished, true);

  const json = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as ResultsJson;
  assert.deepEqual(
    json.cases.map((c) => c.status),
    ['UNFINISHED', 'UNFINISHED'],
  );
  const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
  assert.match(junit, /<skipped message="UNFINISHED: interrupted while running \(SIGTERM\)"/);
  assert.doesNotMatch(junit, /<failure/);
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  assert.equal(html.match(/<tr data-status="UNFINISHED">/g)?.length, 2);
  assert.doesNotMatch(html, /<tr data-status="FAILED">/);
  assert.doesNotMatch(html, /Ctrl-C/);
});
