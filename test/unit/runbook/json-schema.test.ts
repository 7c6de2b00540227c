import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { RunbookError } from '../../../src/runbook/errors.js';
import { runbookJsonSchema } from '../../../src/runbook/json-schema.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { knownPlatformTypes, registerPlatform } from '../../../src/platform/registry.js';

// The JSON Schema keywords these tests read.
type Schema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  items?: Schema;
  oneOf?: Schema[];
  properties: Record<string, Schema>;
  additionalProperties?: unknown;
};

test('the JSON Schema is generated from the zod schema and closes every mapping', () => {
  const schema = runbookJsonSchema() as Schema & { $schema: string; title: string };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties).sort(), [
    'combinator',
    'concurrency',
    'dev',
    'environment',
    'exit_on_first_failure',
    'exit_with_failed_count',
    'extension',
    'import_builtin_tests',
    'include',
    'log_path',
    'name',
    'notifier',
    'platform',
    'tags',
    'test_pass',
    'test_project',
    'testcase',
    'transformer',
    'variable',
    'wait_resource_timeout',
  ]);
  const platforms = schema.properties.platform?.items?.oneOf ?? [];
  const qemu = platforms.find((p) => p.properties.type?.const === 'qemu');
  assert.deepEqual(qemu?.properties.qemu?.properties.accel?.enum, ['auto', 'kvm', 'tcg']);
  assert.equal(schema.properties.concurrency?.type, 'integer');
  JSON.stringify(schema);
});

test('registerPlatform adds a platform type to validation and the JSON Schema', async () => {
  registerPlatform({
    type: 'proxmox',
    schema: z.strictObject({ server: z.string(), switch_name: z.string().optional() }),
    create: () => {
      throw new Error('not used here');
    },
  });
  assert.ok(knownPlatformTypes().includes('proxmox'));
  const platforms = (runbookJsonSchema() as Schema).properties.platform?.items?.oneOf ?? [];
  assert.ok(platforms.some((p) => p.properties.type?.const === 'proxmox'));

  const dir = await mkdtemp(path.join(os.tmpdir(), 'lisa-runbook-'));
  try {
    const file = path.join(dir, 'hv.yml');
    await writeFile(file, 'platform:\n  - type: proxmox\n    proxmox:\n      server: hv01\n');
    const rb = (await loadRunbook(file, { cwd: dir, env: {} })).combinations[0]!;
    assert.deepEqual([rb.platform.type, rb.platform.options], ['proxmox', { server: 'hv01' }]);

    await writeFile(file, 'platform:\n  - type: proxmox\n    proxmox:\n      switch: x\n');
    await assert.rejects(loadRunbook(file, { cwd: dir, env: {} }), (err: unknown) => {
      assert.ok(err instanceof RunbookError);
      assert.equal(
        err.format(),
        [
          'hv.yml:4:7: platform[0].proxmox: missing required key "server"',
          'hv.yml:4:7: platform[0].proxmox.switch: unknown key "switch"',
        ].join('\n'),
      );
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
