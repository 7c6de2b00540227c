import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { spawn } from 'node:child_process';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { azureRunbookYaml, endpointState, startTestArmEndpoint, waitForState } from '../helpers/azure.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

/**
 * `lisa run` with `type: azure` through the real Azure SDK against the loopback ARM endpoint,
 * whose VMs are real QEMU guests: the CLI runs as a child (the endpoint answers from this process).
 */
describe('lisa run on azure (loopback ARM endpoint)', { timeout: 30 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  before(async () => {
    ep = await startTestArmEndpoint();
  });
  after(() => ep?.close());

  const runbook = (name: string, o: Omit<Parameters<typeof azureRunbookYaml>[1], 'runRoot'> = {}) => {
    const dir = tempDir(`lisa-az-${name}-`);
    const runRoot = join(dir, 'runs');
    return { file: writeRunbook(dir, 'azure.yml', azureRunbookYaml(ep, { runRoot, ...o })), runRoot };
  };
  const writes = (s: Awaited<ReturnType<typeof endpointState>>) =>
    s.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

  it('a wrong secret fails at once with a one-line error and creates nothing', async () => {
    const before = (await endpointState(ep)).requests.length;
    const tokensBefore = ep.tokens.requests;
    const { file, runRoot } = runbook('badsecret', { secret: 'not-the-secret' });
    const t0 = Date.now();
    const r = await startCli(['run', file]).done;
    // Timing is for the report (bench territory); the test checks that nothing is retried or waited for.
    process.stderr.write(`# wrong secret: lisa exited after ${Date.now() - t0} ms\n`);
    assert.equal(r.code, 1);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => /authentication failed/i.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /AADSTS7000215/);
    assert.doesNotMatch(r.stdout + r.stderr, /not-the-secret/);
    assert.equal(ep.tokens.requests - tokensBefore, 2, 'one discovery and one token request: no retries');
    const s = await endpointState(ep);
    assert.equal(s.requests.length, before, 'no ARM request at all');
    assert.equal(s.resourceGroups.length, 0);
    const log = readFileSync(join(onlyRunDir(runRoot), 'lisa.log'), 'utf8');
    const [first, failed] = [/^(\S+) INFO .*run directory/m, /^(\S+) ERROR .*authentication failed/m].map((re) =>
      Date.parse(re.exec(log)?.[1] ?? ''),
    );
    process.stderr.write(`# wrong secret: run start to error ${failed! - first!} ms\n`);
  });

  it('dry_run prints the plan and only reads', async () => {
    const before = (await endpointState(ep)).requests.length;
    const { file } = runbook('dry', { extra: '      dry_run: true', testcase: '^smoke\\.reachable$' });
    const r = await startCli(['run', file]).done;
    assert.match(
      r.stdout,
      /azure plan: 1 node\(s\) in westus3, size Standard_B2ts_v2 .*image canonical ubuntu-24_04-lts server 1\.0\.20251201, quota: /,
    );
    const s = await endpointState(ep);
    assert.deepEqual(writes({ ...s, requests: s.requests.slice(before) }), []);
    assert.equal(s.resourceGroups.length, 0);
  });

  it('throttling without Retry-After and a 500 burst are retried, boundedly', async () => {
    const before = (await endpointState(ep)).requests.length;
    ep.faults.push(
      { method: 'GET', path: '/skus$', status: 429, code: 'TooManyRequests', times: 2 },
      { method: 'GET', path: '/usages$', status: 500, code: 'InternalServerError', times: 2, retryAfter: 0 },
    );
    const { file } = runbook('throttle', { extra: '      dry_run: true', testcase: '^smoke\\.reachable$' });
    const r = await startCli(['run', file]).done;
    assert.match(r.stdout, /azure plan: 1 node\(s\) in westus3/, r.stdout + r.stderr);
    const reqs = (await endpointState(ep)).requests.slice(before);
    assert.deepEqual(
      reqs.filter((q) => /\/skus\?/.test(q.path)).map((q) => q.status),
      [429, 429, 200],
    );
    // Usages are read for the quota limits and again for the plan: the burst hits the first read.
    const usages = reqs.filter((q) => /\/usages\?/.test(q.path)).map((q) => q.status);
    assert.deepEqual(usages.slice(0, 3), [500, 500, 200]);
    assert.ok(
      usages.slice(3).every((s) => s === 200),
      JSON.stringify(usages),
    );
    ep.faults.push({ method: 'GET', path: '/skus$', status: 429, code: 'TooManyRequests', times: 50 });
    const r2 = await startCli(['run', runbook('throttle2', { extra: '      dry_run: true' }).file]).done;
    assert.notEqual(r2.code, 0);
    assert.match(r2.stdout + r2.stderr, /listing VM sizes in westus3 failed \(TooManyRequests\).*\[after 6 attempts\]/);
    ep.faults.length = 0;
  });

  it('the smoke suite passes on a real guest, then 0 groups and 0 QEMU processes', async () => {
    const { file, runRoot } = runbook('smoke');
    const r = await startCli(['run', file]).done;
    const events: RunEvent[] = readEvents(onlyRunDir(runRoot));
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(ends.length >= 3, r.stdout);
    for (const e of ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}`);
    const s = await endpointState(ep);
    assert.deepEqual(s.resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
    const put = s.requests.find((q) => q.method === 'PUT' && /resourcegroups\/[^/]+\?/i.test(q.path));
    assert.ok(put, 'a resource group was created');
  });

  it('Ctrl-C mid-deployment exits 130 and leaves 0 groups', async () => {
    const { file, runRoot } = runbook('sigint', { testcase: '^smoke\\.reachable$' });
    // A write conflict on the group create is retried (the SDK never retries a 409).
    ep.faults.push({
      method: 'PUT',
      path: '/resourcegroups/[^/]+$',
      status: 409,
      code: 'ConflictingConcurrentWriteNotAllowed',
      times: 1,
    });
    const cli = startCli(['run', file]);
    const s1 = await waitForState(ep, (s) => s.vms.length > 0, 120_000);
    assert.ok(s1.vms.length > 0, `no VM was being deployed: ${cli.output().stderr}`);
    assert.ok(
      s1.requests.some((q) => q.status === 409),
      'the conflict was injected',
    );
    cli.child.kill('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    const s = await endpointState(ep);
    assert.deepEqual(s.resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
    assert.ok(readEvents(onlyRunDir(runRoot)).length > 0, 'reports are written');
  });

  it('SIGKILL mid-deployment, then lisa reap: 0 groups', async () => {
    const { file } = runbook('sigkill', { testcase: '^smoke\\.reachable$' });
    const cli = startCli(['run', file]);
    const s1 = await waitForState(ep, (s) => s.vms.length > 0, 120_000);
    assert.ok(s1.resourceGroups.length > 0, cli.output().stderr);
    cli.child.kill('SIGKILL');
    await cli.done;
    assert.equal((await endpointState(ep)).resourceGroups.length, 1, 'the killed run leaked its group');
    const dry = await startCli(['reap', file, '--dry-run']).done;
    assert.match(dry.stdout, /would delete lisa-/, dry.stdout + dry.stderr);
    assert.equal((await endpointState(ep)).resourceGroups.length, 1);
    const r = await startCli(['reap', file]).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 deleted/);
    assert.deepEqual((await endpointState(ep)).resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
  });
});

describe('npm run arm-endpoint', { timeout: 120_000 }, () => {
  it('prints its coordinates, serves state, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/test/helpers/arm-endpoint/main.js')], {
      env: { ...process.env, ARM_ENDPOINT_DIR: tempDir('lisa-arm-main-') },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 600 && !out.includes('STATE_URL='); i++) await new Promise((r) => setTimeout(r, 100));
    const keys = out
      .trim()
      .split('\n')
      .map((l) => l.split('=')[0]);
    assert.deepEqual(keys, [
      'ARM_ENDPOINT',
      'AUTHORITY_HOST',
      'CA_FILE',
      'TENANT_ID',
      'CLIENT_ID',
      'CLIENT_SECRET',
      'SUBSCRIPTION_ID',
      'STATE_URL',
    ]);
    const state = (await (await fetch(/STATE_URL=(\S+)/.exec(out)![1]!)).json()) as { resourceGroups: unknown[] };
    assert.deepEqual(state.resourceGroups, []);
    const code = new Promise((r) => child.on('exit', r));
    child.kill('SIGINT');
    assert.equal(await code, 0);
  });
});
