import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchRequirement, type EnvironmentFacts } from '../../../src/platform/requirements.js';
import type { OsInfo } from '../../../src/os/types.js';

const ubuntu: OsInfo = {
  id: 'ubuntu',
  name: 'Ubuntu 22.04.4 LTS',
  version: '22.04',
  codename: 'jammy',
  families: ['ubuntu', 'debian', 'linux'],
  kernel: { name: 'Linux', release: '6.5.0-1017-azure', version: '#17' },
  arch: 'x86_64',
  immutable: false,
};
const env: EnvironmentFacts = {
  platform: 'ready',
  capabilities: [{ cores: 4, memoryMiB: 8192, dataDisks: 0, features: [] }],
  os: [ubuntu],
  features: [],
};

test('an empty requirement is met', () => {
  assert.deepEqual(matchRequirement({}, env), { ok: true });
});

test('each unmet item is named with what the environment has', () => {
  assert.deepEqual(matchRequirement({ nodes: 2 }, env), { ok: false, unmet: '2 nodes (environment has 1)' });
  assert.deepEqual(matchRequirement({ minCores: 8 }, env), { ok: false, unmet: '8 cores (has 4)' });
  assert.deepEqual(matchRequirement({ minMemoryMiB: 16384 }, env), { ok: false, unmet: '16384 MiB memory (has 8192)' });
  assert.deepEqual(matchRequirement({ minDataDisks: 1 }, env), { ok: false, unmet: '1 data disks (has 0)' });
  assert.deepEqual(matchRequirement({ features: ['SerialConsole'] }, env), {
    ok: false,
    unmet: 'feature SerialConsole (platform ready offers none)',
  });
  assert.deepEqual(matchRequirement({ supportedPlatforms: ['qemu'] }, env), {
    ok: false,
    unmet: 'platform qemu (environment is ready)',
  });
});

test('OS families: debian accepts Ubuntu; unsupported OS excludes it', () => {
  assert.deepEqual(matchRequirement({ supportedOs: ['debian'] }, env), { ok: true });
  assert.deepEqual(matchRequirement({ supportedOs: ['redhat', 'suse'] }, env), {
    ok: false,
    unmet: 'OS redhat or suse (node runs Ubuntu 22.04.4 LTS)',
  });
  assert.deepEqual(matchRequirement({ unsupportedOs: ['ubuntu'] }, env), {
    ok: false,
    unmet: 'an OS other than ubuntu (node runs Ubuntu 22.04.4 LTS)',
  });
});

test('a platform that hot-adds disks meets a data disk requirement', () => {
  assert.deepEqual(matchRequirement({ minDataDisks: 2 }, { ...env, features: ['Disk'] }), { ok: true });
});
