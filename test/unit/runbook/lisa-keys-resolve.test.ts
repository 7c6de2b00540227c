/** LISA's run-steering keys resolve to what the orchestrator reads (the behaviour: test/e2e/lisa-keys.test.ts). */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadRunbook } from '../../../src/runbook/load.js';

async function resolve(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-keys-resolve-'));
  writeFileSync(join(dir, 'runbook.yml'), yaml);
  let builtins: boolean | undefined;
  const rb = await loadRunbook(join(dir, 'runbook.yml'), {
    env: {},
    beforeValidate: async (_dirs, o) => void (builtins = o.importBuiltinTests),
  });
  return { rb: rb.combinations[0]!, builtins };
}

test('absent keys: no retry, no wait, creation allowed, warnings stay warnings, built-ins load, no metadata', async () => {
  const { rb, builtins } = await resolve('name: x\n');
  assert.deepEqual(rb.environmentPolicy, { retry: 0, warnAsError: false, allowCreate: true, waitResourceTimeoutMs: 0 });
  assert.equal(rb.importBuiltinTests, true);
  assert.equal(builtins, true);
  assert.deepEqual(rb.metadata, {});
});

test('written keys resolve, variables substituted; import_builtin_tests is known before suites load', async () => {
  const { rb, builtins } = await resolve(`variable:
  - name: pass
    value: nightly-7
wait_resource_timeout: 1.5
test_project: qual
test_pass: $(pass)
tags: [a, b]
import_builtin_tests: false
environment:
  retry: 3
  warn_as_error: true
  allow_create: false
  max_concurrency: 2
`);
  assert.deepEqual(rb.environmentPolicy, {
    retry: 3,
    warnAsError: true,
    allowCreate: false,
    maxConcurrency: 2,
    waitResourceTimeoutMs: 90_000,
  });
  assert.deepEqual(rb.metadata, { testProject: 'qual', testPass: 'nightly-7', tags: ['a', 'b'] });
  assert.equal(rb.importBuiltinTests, false);
  assert.equal(builtins, false, 'the built-in suites are never imported');
});

test("one wait_resource_timeout: the top-level key wins over azure's own, which counts when it is absent", async () => {
  const azure = (own: string) => `platform:
  - type: azure
    azure:
      subscription_id: 00000000-0000-0000-0000-000000000000
${own}`;
  const ownOnly = await resolve(azure('      wait_resource_timeout: 2\n'));
  assert.equal(ownOnly.rb.environmentPolicy.waitResourceTimeoutMs, 120_000);
  const both = await resolve(`wait_resource_timeout: 0.5\n${azure('      wait_resource_timeout: 2\n')}`);
  assert.equal(both.rb.environmentPolicy.waitResourceTimeoutMs, 30_000);
});
