import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  createPlatform,
  knownPlatformTypes,
  loadPlatformModule,
  platformRegistration,
  registerPlatform,
} from '../../../src/platform/registry.js';
import { definePlatform, registrationProblem } from '../../../src/platform/registration.js';
import { runbookSchema } from '../../../src/runbook/schema/runbook.js';

const here = dirname(fileURLToPath(import.meta.url));

test('the built-in types are registrations: schema and factory together', async () => {
  assert.deepEqual(knownPlatformTypes(), ['azure', 'baremetal', 'hyperv', 'qemu', 'ready']);
  const ready = await createPlatform({ type: 'ready', keepEnvironment: 'no', options: {}, baseDir: '/' });
  assert.equal(ready.type, 'ready');
  await assert.rejects(platformRegistration({ type: 'vmware' }), {
    message: 'unknown platform type "vmware"; known types: azure, baremetal, hyperv, qemu, ready',
  });
});

test('a type cannot be valid in a runbook without an implementation', () => {
  const schema = z.strictObject({ server: z.string() });
  assert.throws(() => registerPlatform({ type: 'proxmox', schema } as never), /has no create\(\) function/);
  assert.throws(
    () => registerPlatform({ type: 'proxmox', create: () => ({}) as never } as never),
    /has no zod schema in "schema"/,
  );
  assert.throws(
    () => registerPlatform({ ...definePlatform({ type: 'bad name', schema, create: () => ({}) as never }) }),
    /a type is a letter/,
  );
  assert.ok(!knownPlatformTypes().includes('proxmox'));
  const rejected = runbookSchema().safeParse({ platform: [{ type: 'proxmox', proxmox: { server: 'x' } }] });
  assert.equal(rejected.success, false);

  registerPlatform(definePlatform({ type: 'proxmox', schema, create: () => ({}) as never }));
  const accepted = runbookSchema().safeParse({ platform: [{ type: 'proxmox', proxmox: { server: 'x' } }] });
  assert.equal(accepted.success, true);
  assert.throws(
    () => registerPlatform(definePlatform({ type: 'qemu', schema, create: () => ({}) as never })),
    /"qemu" is already registered/,
  );
});

test('a plugin module must default-export a registration', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-registry-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  await assert.rejects(loadPlatformModule(join(dir, 'absent.mjs')), /platform module not found: .*absent\.mjs/);
  await assert.rejects(loadPlatformModule(write('named.mjs', 'export const p = 1;\n')), /has no default export/);
  await assert.rejects(loadPlatformModule(write('shape.mjs', 'export default { type: "x" };\n')), /has no zod schema/);
  await assert.rejects(loadPlatformModule(write('syntax.mts', 'export default {\n')), /cannot load platform module/);
  const zodUrl = pathToFileURL(join(here, '../../../../node_modules/zod/index.js')).href;
  const good = write(
    'good.mjs',
    `import { z } from ${JSON.stringify(zodUrl)};\nexport default { type: 'mine', schema: z.strictObject({}), create: () => ({ type: 'mine' }) };\n`,
  );
  const registration = await loadPlatformModule(good);
  assert.equal(registrationProblem(registration), undefined);
  assert.equal(
    (await createPlatform({ type: 'mine', module: good, keepEnvironment: 'no', options: {}, baseDir: dir })).type,
    'mine',
  );
  assert.ok(!knownPlatformTypes().includes('mine'), 'a plugin by path is not registered globally');
});

test('a ready run never loads QEMU code: only the small schema modules are eager', () => {
  // A resolve hook in a child process lists every module under src/platform/qemu that is loaded.
  const hook = `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('/platform/qemu/')) process.stderr.write('loaded ' + r.url + '\\n'); return r; }`;
  const registry = pathToFileURL(join(here, '../../../src/platform/registry.js')).href;
  const script = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
const { createPlatform } = await import(${JSON.stringify(registry)});
const p = await createPlatform({ type: 'ready', keepEnvironment: 'no', options: {}, baseDir: '/' });
process.stdout.write(p.type);
`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'ready');
  const loaded = r.stderr.split('\n').filter((l) => l.startsWith('loaded '));
  assert.deepEqual(
    loaded.map((l) => l.replace(/^.*\/platform\/qemu\//, '')),
    ['schema.js'],
  );
});
