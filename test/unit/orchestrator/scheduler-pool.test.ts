import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Logger } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { planItems } from '../../../src/orchestrator/plan.js';
import { Scheduler } from '../../../src/orchestrator/scheduler.js';
import { selectCases } from '../../../src/orchestrator/selection.js';
import type { PlatformContext } from '../../../src/platform/types.js';
import { ReadyPlatform } from '../../../src/platform/ready/ready-platform.js';
import { EventBus } from '../../../src/results/event-bus.js';
import type { RunEvent, RunEventOf } from '../../../src/results/events.js';
import { RunDirectory } from '../../../src/results/run-dir.js';
import { expandSuite } from '../../../src/testing/loader.js';
import type { TestCaseDefinition } from '../../../src/testing/types.js';
import { Tool } from '../../../src/tool/tool.js';
import { ToolService } from '../../../src/tool/tool-service.js';

/** Runs `defs` on a real ready platform of `envs` local-node environments. */
async function runOnPool(envs: number, concurrency: number, defs: TestCaseDefinition[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-pool-'));
  const runDir = new RunDirectory(dir);
  const masker = new SecretMasker();
  const log = new Logger('test', [], masker);
  const bus = new EventBus(runDir.eventsFile, masker, log);
  const events: RunEvent[] = [];
  bus.subscribe({ onEvent: (e) => void events.push(e) });
  const ctx: PlatformContext = {
    runDir: dir,
    log,
    masker,
    signal: new AbortController().signal,
    environmentConfig: Array.from({ length: envs }, (_, i) => ({
      name: `env${i + 1}`,
      nodes: [{ type: 'local', name: `n${i + 1}` }],
    })),
  };
  const platform = new ReadyPlatform();
  await platform.prepare(ctx);
  const cases = expandSuite({ name: 't', area: 'x', cases: defs }, 'mem');
  const items = planItems(selectCases(cases, []).selected, 'default');
  const scheduler = new Scheduler(
    {
      platform,
      platformContext: ctx,
      concurrency,
      exitOnFirstFailure: false,
      bus,
      runDir,
      log,
      variables: {},
      combination: 'default',
      tools: new ToolService(),
      runSignal: new AbortController().signal,
    },
    items,
  );
  await scheduler.run();
  await bus.flush();
  await platform.dispose();
  const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  return { ends, dir };
}

test('1, 2 and 4 environments x concurrency 1..8: every case runs exactly once and passes', async () => {
  for (const envs of [1, 2, 4]) {
    for (let concurrency = 1; concurrency <= 8; concurrency++) {
      let running = 0;
      let peak = 0;
      const defs: TestCaseDefinition[] = Array.from({ length: 6 }, (_, i) => ({
        name: `c${i}`,
        async run(ctx) {
          peak = Math.max(peak, ++running);
          try {
            await ctx.node.execute('sleep 0.02', { expectedExitCode: 0 });
          } finally {
            running--;
          }
        },
      }));
      const { ends } = await runOnPool(envs, concurrency, defs);
      const where = `${envs} environments, concurrency ${concurrency}`;
      assert.deepEqual(
        ends.map((e) => e.case.caseId).sort(),
        defs.map((d) => `t.${d.name}`).sort(),
        `${where}: not every case ended exactly once`,
      );
      for (const e of ends) assert.equal(e.status, 'PASSED', `${where}: ${e.case.caseId} ${e.status} ${e.message}`);
      assert.ok(peak <= envs, `${where}: ${peak} cases ran at once on ${envs} environments`);
      assert.ok(peak >= Math.min(envs, concurrency), `${where}: only ${peak} cases ran at once`);
    }
  }
});

test('a case is SKIPPED for want of an environment only when no healthy one is left', async () => {
  // Two environments; the first case breaks the one it ran on: everything else still runs.
  const wreck: TestCaseDefinition = {
    name: 'a_wreck',
    priority: 0,
    run(ctx) {
      ctx.environment.broken = 'wrecked on purpose';
    },
  };
  const rest = Array.from({ length: 5 }, (_, i): TestCaseDefinition => ({ name: `r${i}`, priority: 1, run() {} }));
  const two = await runOnPool(2, 4, [wreck, ...rest]);
  for (const e of two.ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}`);
  // One environment, broken by the first case: now none can ever run the rest.
  const one = await runOnPool(1, 4, [wreck, ...rest]);
  const skipped = one.ends.filter((e) => e.status === 'SKIPPED');
  assert.equal(skipped.length, 5);
  for (const e of skipped) assert.match(e.message, /no healthy environment/);
});

/** A tool whose "package" is a script written per node: counts how often it had to be installed. */
let installs = 0;
let toolDir = '';
class CountedTool extends Tool {
  get command(): string {
    return join(toolDir, `${this.node.name}-counted`);
  }
  override async install(): Promise<void> {
    installs++;
    await this.node.writeFile(this.command, '#!/bin/sh\necho counted\n', 0o755);
  }
  async hello(): Promise<string> {
    return (await this.runOk()).stdout.trim();
  }
}

test('ctx.tool installs a tool once per node for the whole run, not once per case', async () => {
  toolDir = mkdtempSync(join(tmpdir(), 'lisa-tool-'));
  installs = 0;
  const nodesUsed = new Set<string>();
  const defs = Array.from(
    { length: 6 },
    (_, i): TestCaseDefinition => ({
      name: `t${i}`,
      async run(ctx) {
        nodesUsed.add(ctx.node.name);
        assert.equal(await ctx.tool(CountedTool).hello(), 'counted');
        assert.equal(ctx.tool(CountedTool), ctx.tool(CountedTool, ctx.node), 'one instance per node in a case');
      },
    }),
  );
  const { ends } = await runOnPool(2, 2, defs);
  for (const e of ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}`);
  assert.equal(nodesUsed.size, 2);
  assert.equal(installs, 2, `installed ${installs} times for 6 cases on 2 nodes`);
});
