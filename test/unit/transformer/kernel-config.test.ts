import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TransformerStepError } from '../../../src/transformer/types.js';
import { checkConfig, isMakeTarget, readFragments, requested } from '../../../src/transformer/builtin/kernel-config.js';

test('a fragment asks for y, m, strings and "is not set" options; comments and blanks are ignored', () => {
  const want = requested(
    '# a comment\nCONFIG_A=y\n\nCONFIG_B=m\nCONFIG_C="-lisa"\n# CONFIG_D is not set\nCONFIG_E=64\n',
  );
  assert.deepEqual(Object.fromEntries(want), {
    CONFIG_A: 'y',
    CONFIG_B: 'm',
    CONFIG_C: '"-lisa"',
    CONFIG_D: 'n',
    CONFIG_E: '64',
  });
});

test('the builtin qemu-guest fragment has what the builtin guest needs to boot without an initrd', async () => {
  const [f] = await readFragments({ base: 'tinyconfig', fragments: ['builtin:qemu-guest'], lines: [] });
  const want = requested(f!.text);
  for (const k of [
    'CONFIG_VIRTIO_BLK',
    'CONFIG_VIRTIO_NET',
    'CONFIG_VIRTIO_PCI',
    'CONFIG_EXT4_FS',
    'CONFIG_FW_CFG_SYSFS',
    'CONFIG_SERIAL_8250_CONSOLE',
    'CONFIG_DEVTMPFS',
    'CONFIG_CGROUPS',
  ]) {
    assert.equal(want.get(k), 'y', k);
  }
});

test('builtin:qemu-guest leaves ACPI out, so it declares fw_cfg on the built-in command line; builtin:qemu-acpi adds ACPI back', async () => {
  const [guest, acpi] = await readFragments({
    base: 'tinyconfig',
    fragments: ['builtin:qemu-guest', 'builtin:qemu-acpi'],
    lines: [],
  });
  const g = requested(guest!.text);
  assert.equal(g.get('CONFIG_ACPI'), 'n');
  assert.equal(g.get('CONFIG_FW_CFG_SYSFS_CMDLINE'), 'y');
  assert.equal(g.get('CONFIG_CMDLINE'), '"qemu_fw_cfg.ioport=12@0x510:0:1:4"');
  assert.equal(g.get('CONFIG_LOCALVERSION'), '"-lisa"');
  const a = requested(acpi!.text);
  assert.equal(a.get('CONFIG_ACPI'), 'y');
  assert.equal(a.get('CONFIG_ACPI_BUTTON'), 'y');
  assert.equal(a.get('CONFIG_INPUT_EVDEV'), 'y', 'logind reads the power button from evdev');
  // ACPI declares fw_cfg itself; a second device from the command line would fail its probe.
  assert.equal(a.get('CONFIG_CMDLINE'), '""');
});

test('inline config lines come last; an unknown builtin fragment is an error naming the known ones', async () => {
  const got = await readFragments({ base: 'tinyconfig', fragments: [], lines: ['CONFIG_X=y'] });
  assert.deepEqual(got, [{ from: 'config:', text: 'CONFIG_X=y\n' }]);
  await assert.rejects(
    readFragments({ base: 'tinyconfig', fragments: ['builtin:nope'], lines: [] }),
    (e: unknown) =>
      e instanceof TransformerStepError && /unknown fragment "builtin:nope"; known: builtin:qemu-guest/.test(e.message),
  );
  await assert.rejects(
    readFragments({ base: 'tinyconfig', fragments: ['/nonexistent/x.config'], lines: [] }),
    /config: no such config fragment: \/nonexistent\/x\.config/,
  );
});

test('a base config is a make target (tinyconfig, x86_64_defconfig) unless it is a path', () => {
  assert.equal(isMakeTarget('tinyconfig'), true);
  assert.equal(isMakeTarget('x86_64_defconfig'), true);
  assert.equal(isMakeTarget('./my.config'), false);
  assert.equal(isMakeTarget('configs/base.config'), false);
});

test('an option Kconfig dropped from the final .config fails the config step naming it and its fragment', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lisa-kconfig-')), '.config');
  writeFileSync(file, 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n');
  await checkConfig(file, [{ from: 'a.config', text: 'CONFIG_A=y\n# CONFIG_C is not set\n# CONFIG_Z is not set\n' }]);
  await assert.rejects(
    checkConfig(file, [
      { from: 'a.config', text: 'CONFIG_A=y\nCONFIG_B=y\n' },
      { from: 'builtin:qemu-guest', text: 'CONFIG_C=y\n' },
    ]),
    (e: unknown) =>
      e instanceof TransformerStepError &&
      e.step === 'config' &&
      /CONFIG_B=y \(from a\.config\) is m\nCONFIG_C=y \(from builtin:qemu-guest\) is not set$/.test(e.message),
  );
});
