import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Logger } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { LocalNode } from '../../../src/node/local-node.js';
import type { Node, NodeCapability } from '../../../src/node/types.js';
import type { DeployPolicy } from '../../../src/orchestrator/deploy-policy.js';
import { planItems } from '../../../src/orchestrator/plan.js';
import { Scheduler } from '../../../src/orchestrator/scheduler.js';
import { selectCases } from '../../../src/orchestrator/selection.js';
import type { Environment, Platform, PlatformContext } from '../../../src/platform/types.js';
import { EventBus } from '../../../src/results/event-bus.js';
import type { RunEvent, RunEventOf } from '../../../src/results/events.js';
import { RunDirectory } from '../../../src/results/run-dir.js';
import { expandSuite } from '../../../src/testing/loader.js';
import type { TestCaseDefinition, TestCaseInfo } from '../../../src/testing/types.js';
import type { TestCaseRule } from '../../../src/runbook/types.js';
import { ToolService } from '../../../src/tool/tool-service.js';

/** A platform that creates a fresh local-node environment per deploy and records what it did. */
class LocalPool implements Platform {
  readonly type = 'localpool';
  deployed = 0;
  released: { id: string; broken?: string; failed: boolean }[] = [];
  failDeploys = 0;
  /** Deploys whose node cannot be reached (its OS cannot be read): the environment fails before any case. */
  unreachableDeploys = 0;
  /** What happened, in order: `deploy envN` and `release envN`. */
  readonly history: string[] = [];
  constructor(private readonly log: Logger) {}
  async prepare(): Promise<void> {}
  async match() {
    return { ok: true as const };
  }
  maxParallel(): number {
    return 2;
  }
  async deploy(): Promise<Environment | undefined> {
    if (this.failDeploys > 0) {
      this.failDeploys--;
      throw new Error('no capacity in the lab');
    }
    const id = `env${++this.deployed}`;
    this.history.push(`deploy ${id}`);
    const nodes: Node[] = [new LocalNode({ name: `${id}-n1`, log: this.log })];
    if (this.unreachableDeploys > 0) {
      this.unreachableDeploys--;
      nodes[0]!.os = () => Promise.reject(new Error('connection refused'));
    }
    const cap: NodeCapability = { cores: 2, memoryMiB: 1024, dataDisks: 0, features: [] };
    return { id, platform: this.type, nodes, capabilities: [cap], features: [], feature: () => undefined };
  }
  async release(env: Environment, _ctx: PlatformContext, outcome: { failed: boolean }): Promise<void> {
    this.released.push({ id: env.id, broken: env.broken, failed: outcome.failed });
    this.history.push(`release ${env.id}`);
  }
  async dispose(): Promise<void> {}
}

function schedule(
  defs: TestCaseDefinition[],
  setup: (p: LocalPool) => void = () => {},
  rules: TestCaseRule[] = [],
  deployPolicy?: DeployPolicy,
) {
  return scheduleCases(expandSuite({ name: 't', area: 'x', cases: defs }, 'mem'), setup, rules, deployPolicy);
}

async function scheduleCases(
  cases: TestCaseInfo[],
  setup: (p: LocalPool) => void = () => {},
  rules: TestCaseRule[] = [],
  deployPolicy?: DeployPolicy,
) {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-sched-'));
  const runDir = new RunDirectory(dir);
  const masker = new SecretMasker();
  const log = new Logger('test', [], masker);
  const bus = new EventBus(runDir.eventsFile, masker, log);
  const events: RunEvent[] = [];
  bus.subscribe({ onEvent: (e) => void events.push(e) });
  const platform = new LocalPool(log);
  setup(platform);
  const items = planItems(selectCases(cases, rules).selected, 'default');
  const ctx: PlatformContext = {
    runDir: dir,
    log,
    masker,
    signal: new AbortController().signal,
    environmentConfig: undefined,
  };
  const s = new Scheduler(
    {
      platform,
      platformContext: ctx,
      concurrency: 1,
      exitOnFirstFailure: false,
      bus,
      runDir,
      log,
      variables: {},
      combination: 'default',
      tools: new ToolService(),
      runSignal: new AbortController().signal,
      deployPolicy,
    },
    items,
  );
  await s.run();
  await bus.flush();
  const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  return { platform, events, ends, status: (id: string) => ends.filter((e) => e.case.caseId === `t.${id}`).at(-1) };
}

test('cases share one environment until one of them breaks it; a broken one is never reused', async () => {
  const r = await schedule([
    { name: 'a', priority: 0, run: async (ctx) => void (await ctx.node.execute('true')) },
    {
      name: 'b',
      priority: 1,
      run(ctx) {
        ctx.environment.broken = 'the case wrecked it';
        throw new Error('wrecked');
      },
    },
    { name: 'c', priority: 2, run() {} },
  ]);
  assert.equal(r.status('a')?.envId, 'env1');
  assert.equal(r.status('b')?.envId, 'env1');
  assert.equal(r.status('b')?.status, 'FAILED');
  assert.equal(r.status('c')?.envId, 'env2', 'the environment the case marked broken was reused');
  assert.equal(r.platform.released[0]?.broken, 'the case wrecked it');
});

test('an unreachable node after a failure breaks the environment and the next case gets a new one', async () => {
  const r = await schedule([
    {
      name: 'a',
      priority: 0,
      async run(ctx) {
        // Make the node report itself dead from now on, as a crashed guest would.
        (ctx.environment.nodes[0] as LocalNode).isAlive = async () => false;
        throw new Error('guest crashed');
      },
    },
    { name: 'b', priority: 1, run() {} },
  ]);
  assert.equal(r.status('a')?.status, 'FAILED');
  assert.deepEqual(r.platform.released[0], {
    id: 'env1',
    broken: 'node env1-n1 unreachable after the case',
    failed: true,
  });
  assert.equal(r.status('b')?.envId, 'env2');
  assert.equal(r.status('b')?.status, 'PASSED');
});

test('retry reruns a failed case on the same environment; times repeats it; use_new_environment isolates it', async () => {
  let calls = 0;
  const r = await schedule(
    [
      {
        name: 'flaky',
        priority: 0,
        run() {
          if (++calls === 1) throw new Error('first time fails');
        },
      },
      { name: 'thrice', priority: 1, run() {} },
      { name: 'alone', priority: 2, run() {} },
      { name: 'after', priority: 3, run() {} },
    ],
    () => {},
    [
      { criteria: {}, selectAction: 'include', where: 'rb:1' },
      { criteria: { name: 'flaky' }, selectAction: 'include', retry: 1, where: 'rb:2' },
      { criteria: { name: 'thrice' }, selectAction: 'include', times: 3, where: 'rb:3' },
      { criteria: { name: 'alone' }, selectAction: 'include', useNewEnvironment: true, where: 'rb:4' },
    ],
  );
  const flaky = r.ends.filter((e) => e.case.caseId === 't.flaky');
  assert.deepEqual(
    flaky.map((e) => [e.attempt, e.status, e.willRetry ?? false, e.envId]),
    [
      [1, 'FAILED', true, 'env1'],
      [2, 'PASSED', false, 'env1'],
    ],
  );
  assert.deepEqual(
    r.ends.filter((e) => e.case.caseId === 't.thrice').map((e) => e.case.runCaseId),
    ['t.thrice#1', 't.thrice#2', 't.thrice#3'],
  );
  const alone = r.status('alone')!.envId;
  assert.equal(
    r.ends.filter((e) => e.envId === alone).length,
    1,
    "another case ran on the use_new_environment case's environment",
  );
  assert.notEqual(alone, 'env1');
});

test('a failed deploy fails the case with the reason; three in a row fail the rest', async () => {
  const r = await schedule(
    [1, 2, 3, 4, 5].map((i) => ({ name: `c${i}`, priority: 1 as const, run() {} })),
    (p) => (p.failDeploys = 3),
  );
  assert.equal(r.status('c1')?.status, 'FAILED');
  assert.equal(r.status('c1')?.message, 'environment deploy failed: no capacity in the lab');
  assert.equal(r.status('c5')?.status, 'FAILED');
  assert.match(r.status('c5')!.message, /^not run: 3 deploys failed/);
});

test('environment.retry: an environment whose node is unreachable is released before a fresh one is deployed', async () => {
  const r = await schedule([{ name: 'a', priority: 1, run() {} }], (p) => (p.unreachableDeploys = 1), [], {
    retry: 1,
    waitResourceTimeoutMs: 0,
  });
  assert.equal(r.status('a')?.status, 'PASSED');
  assert.equal(r.status('a')?.envId, 'env2');
  assert.deepEqual(r.platform.history, ['deploy env1', 'release env1', 'deploy env2', 'release env2']);
  const retries = r.events.filter((e) => e.type === 'env.retry');
  assert.equal(retries.length, 1);
  assert.match((retries[0] as RunEventOf<'env.retry'>).message, /environment failed: connection refused/);
});

test('without environment.retry an environment that fails before its first case fails that case', async () => {
  const r = await schedule([{ name: 'a', priority: 1, run() {} }], (p) => (p.unreachableDeploys = 1));
  assert.equal(r.status('a')?.status, 'FAILED');
  assert.equal(r.status('a')?.message, 'environment failed: connection refused');
});

test('a case that exceeds its timeout fails and the next case still runs', async () => {
  const r = await schedule([
    { name: 'slow', priority: 0, timeoutMs: 300, run: async (ctx) => void (await ctx.node.execute('sleep 30')) },
    { name: 'next', priority: 1, run: async (ctx) => void (await ctx.node.execute('true')) },
  ]);
  assert.equal(r.status('slow')?.message, 'timed out after 0.3 s');
  assert.equal(r.status('next')?.status, 'PASSED');
});

test('each hook has its own budget: a hung afterCase breaks the environment, a hung beforeCase fails the case', async () => {
  const cleaned: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lisa-hooks-'));
  const cases = expandSuite(
    {
      name: 't',
      area: 'x',
      hookTimeoutMs: 400,
      async beforeCase(ctx) {
        if (existsSync(join(dir, 'hang-before'))) await ctx.node.execute('sleep 30');
      },
      async afterCase(ctx) {
        // Still a live node after the case timed out: this command must run.
        cleaned.push((await ctx.node.execute('echo cleaned', { expectedExitCode: 0 })).stdout.trim());
        if (existsSync(join(dir, 'hang-after'))) await ctx.node.execute('sleep 30');
      },
      cases: [
        { name: 'a_slow', priority: 0, timeoutMs: 300, run: async (ctx) => void (await ctx.node.execute('sleep 30')) },
        { name: 'b_hangs_cleanup', priority: 1, run: () => writeFileSync(join(dir, 'hang-after'), '') },
        {
          name: 'c_fresh',
          priority: 2,
          run: () => {
            rmSync(join(dir, 'hang-after'));
            writeFileSync(join(dir, 'hang-before'), '');
          },
        },
        { name: 'd_before_hangs', priority: 3, run() {} },
      ],
    },
    'mem',
  );
  const r = await scheduleCases(cases);
  assert.equal(r.status('a_slow')?.message, 'timed out after 0.3 s');
  assert.equal(r.status('a_slow')?.envId, 'env1');
  assert.equal(r.status('b_hangs_cleanup')?.status, 'PASSED');
  assert.equal(r.status('b_hangs_cleanup')?.envId, 'env1');
  assert.deepEqual(r.platform.released[0], { id: 'env1', broken: 'afterCase timed out after 0.4 s', failed: true });
  assert.equal(r.status('c_fresh')?.envId, 'env2', 'the case after a hung cleanup reused the dirty environment');
  assert.equal(r.status('d_before_hangs')?.status, 'FAILED');
  assert.equal(r.status('d_before_hangs')?.message, 'beforeCase timed out after 0.4 s');
  assert.equal(cleaned.length, 4, 'afterCase did not run after every case');
});
