import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadRunbook } from '../../../src/runbook/load.js';
import { runbooksDir } from './fixtures.js';

const load = (file: string, cliVariables: string[] = [], env: Record<string, string> = {}) =>
  loadRunbook(file, { cwd: runbooksDir, env, cliVariables });
const good = (...p: string[]) => path.join(runbooksDir, 'good', ...p);

test('a LISA-style ready runbook for existing machines loads unchanged', async () => {
  const loaded = await load('good/ready.yml', ['s:admin_password:hunter22']);
  assert.equal(loaded.file, good('ready.yml'));
  assert.equal(loaded.name, 'smoke on existing machines');
  assert.equal(loaded.combinations.length, 1);
  const rb = loaded.combinations[0]!;
  assert.equal(rb.combination.name, 'default');
  assert.deepEqual(rb.extension, [path.join(runbooksDir, '..', 'suites'), good('more-suites')]);
  assert.deepEqual(rb.platform, {
    type: 'ready',
    keepEnvironment: 'no',
    adminUsername: 'azureuser',
    adminPassword: undefined,
    adminPrivateKeyFile: undefined,
    options: {},
    baseDir: good(),
  });
  assert.deepEqual(rb.environments, [
    {
      name: undefined,
      nodes: [
        {
          type: 'remote',
          name: undefined,
          address: '10.0.0.4',
          port: 22,
          username: 'azureuser',
          password: 'hunter22',
          privateKeyFile: good('id_test'),
          sudoPassword: undefined,
          useAgent: undefined,
        },
      ],
    },
  ]);
  assert.deepEqual(
    rb.testcase.map((r) => [r.criteria, r.selectAction, r.times, r.retry, r.where]),
    [
      [{ tags: ['network'] }, 'include', undefined, undefined, 'good/common/base.yml:7'],
      [{ area: 'provisioning', priority: [0, 1] }, 'include', undefined, undefined, 'good/ready.yml:32'],
      [{ name: 'smoke_test' }, 'forceInclude', 2, 1, 'good/ready.yml:35'],
      [{ name: 'verify_reboot' }, 'exclude', undefined, undefined, 'good/ready.yml:40'],
    ],
  );
  assert.deepEqual(rb.notifier, [
    { type: 'console', options: { log_level: 'INFO' } },
    { type: 'html', options: { path: './report.html' } },
    { type: 'junit', options: {} },
  ]);
  assert.equal(rb.concurrency, 2);
  assert.equal(rb.exitOnFirstFailure, true);
  assert.equal(rb.runRoot, path.join(runbooksDir, 'runtime', 'runs'));
  assert.deepEqual(loaded.secrets, ['hunter22']);
  assert.equal(rb.variables.admin_password!.isSecret, true);
  assert.equal(rb.variables.address!.value, '10.0.0.4', 'the includer outranks the included runbook');
  assert.equal(rb.variables.from_base!.source, 'good/common/base.yml:4');
  assert.equal(rb.variables.cores!.value, 4, 'variable files keep YAML types');
});

test('a runbook with only a name gets the defaults', async () => {
  const rb = (await load('good/minimal.yml')).combinations[0]!;
  assert.equal(rb.name, 'minimal');
  assert.deepEqual(rb.platform, { type: 'ready', keepEnvironment: 'no', options: {}, baseDir: good() });
  assert.deepEqual([rb.environments, rb.testcase, rb.notifier, rb.extension], [[], [], [], []]);
  assert.equal(rb.exitOnFirstFailure, false);
  assert.equal(rb.concurrency, undefined);
});

test('local nodes, LISA public_address/public_port and ~ in key paths', async () => {
  const [here, remote] = (await load('good/local.yml')).combinations[0]!.environments;
  assert.deepEqual(here, { name: 'here', nodes: [{ type: 'local', name: undefined }] });
  assert.deepEqual(remote!.nodes[0], {
    type: 'remote',
    name: undefined,
    address: 'vm.example.test',
    port: 2222,
    username: 'root',
    password: undefined,
    privateKeyFile: path.join(os.homedir(), '.ssh', 'id_ed25519'),
    sudoPassword: 'pw-for-sudo',
    useAgent: true,
  });
});

test('include paths use variables; the includer refines an included platform of the same type', async () => {
  const loaded = await load('good/include-vars.yml');
  const rb = loaded.combinations[0]!;
  assert.equal(rb.platform.type, 'qemu');
  assert.equal(rb.platform.keepEnvironment, 'failed', "the included file sees the includer's variables");
  assert.deepEqual(rb.platform.options, {
    image: 'builtin:debian-12',
    cores: 3,
    warm_start: false,
    append: 'console=ttyS0 kernel=6.1',
    memory_mb: 4096,
    // The schema's defaults: the platform gets them whether or not the runbook names them.
    accel: 'auto',
    data_disks: 0,
    boot_timeout: 300,
    private_network: true,
    profile: 'default',
  });
  assert.deepEqual(
    rb.testcase.map((r) => r.where),
    ['good/common/base.yml:7', 'good/variables.yml:26'],
  );
  assert.deepEqual(
    rb.notifier.map((n) => n.type),
    ['console', 'webhook'],
  );
  assert.deepEqual(loaded.secrets, ['s3cr3t-token']);
});

test('grid: one resolved runbook per combination, first item varying slowest', async () => {
  const loaded = await load('good/grid.yml');
  assert.deepEqual(
    loaded.combinations.map((c) => [c.combination.name, c.platform.options.image, c.platform.options.append]),
    [
      ['image=debian12,kernel=6.1', 'builtin:debian12', 'kernel=6.1'],
      ['image=debian12,kernel=6.6', 'builtin:debian12', 'kernel=6.6'],
      ['image=ubuntu24,kernel=6.1', 'builtin:ubuntu24', 'kernel=6.1'],
      ['image=ubuntu24,kernel=6.6', 'builtin:ubuntu24', 'kernel=6.6'],
    ],
  );
  assert.equal(loaded.name, 'kernels');
  assert.deepEqual(loaded.combinations[1]!.combination.variables, { image: 'debian12', kernel: '6.6' });
  assert.equal(loaded.combinations[1]!.variables.image!.source, 'combinator');
});

test('batch: one combination per item, values keep their types', async () => {
  const loaded = await load('good/batch.yml');
  assert.deepEqual(
    loaded.combinations.map((c) => [c.combination.name, c.platform.options.cores, c.platform.keepEnvironment]),
    [
      ['image=debian12,cores=2', 2, 'always'],
      ['image=ubuntu24,cores=4', 4, 'always'],
    ],
  );
  assert.equal(loaded.combinations[0]!.runRoot, path.join(runbooksDir, 'out', 'runs'));
});

test('the combinator can take its values from variables', async () => {
  const loaded = await load('good/grid.yml', [], {});
  assert.equal(loaded.combinations.length, 4);
});
