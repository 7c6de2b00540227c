import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext } from '../../src/testing/types.js';
import { FactProbe } from '../../tools/fact-probe.js';
import {
  AUTHORIZED_KEYS_SCRIPT,
  checkIdentityFresh,
  checkNoFailedUnits,
  checkNoHistory,
  checkNoLeftoverKeys,
  checkNoSwapOnOsDisk,
  checkPackageDbClean,
  checkRepositories,
  checkSerialConsole,
  FAILED_UNITS_SCRIPT,
  HISTORY_SCRIPT,
  IDENTITY_SCRIPT,
  PACKAGE_DB_SCRIPT,
  REPOSITORIES_SCRIPT,
  SWAP_SCRIPT,
} from './checks.js';

const facts = (ctx: CaseContext, script: string) => ctx.tool(FactProbe).gather(script);

async function family(ctx: CaseContext): Promise<'debian' | 'rhel'> {
  const os = await ctx.node.os();
  if (os.families.includes('debian')) return 'debian';
  if (
    os.families.some((f) =>
      [
        'redhat',
        'rhel',
        'fedora',
        'centos',
        'azurelinux',
        'mariner',
        'amazon',
        'oracle',
        'almalinux',
        'rocky',
      ].includes(f),
    )
  )
    return 'rhel';
  ctx.skip(`package checks know dpkg/apt and rpm/dnf, not ${os.name}`);
}

/**
 * What an image publisher must not ship and must configure, checked on a VM booted from the image:
 * leftover keys and history, identity baked into the image, swap on the OS disk, the serial
 * console, repositories, failed units, the package database.
 */
export default defineSuite({
  name: 'hygiene',
  area: 'hygiene',
  category: 'functional',
  description:
    'image hygiene for publishers: leftovers, baked-in identity, swap, serial console, repositories, units, package database',
  tags: ['hygiene', 'image', 'security'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'no_leftover_authorized_keys',
      priority: 1,
      timeoutMs: 300_000,
      description: 'no authorized_keys entry in any account but the one the harness was provisioned into',
      async run(ctx) {
        checkNoLeftoverKeys(ctx.node.name, await facts(ctx, AUTHORIZED_KEYS_SCRIPT));
      },
    },
    {
      name: 'no_shell_history',
      priority: 1,
      timeoutMs: 300_000,
      description: 'no shell, less or vim history in any account home',
      async run(ctx) {
        checkNoHistory(ctx.node.name, await facts(ctx, HISTORY_SCRIPT));
      },
    },
    {
      name: 'identity_not_baked_in',
      priority: 1,
      timeoutMs: 300_000,
      description: 'machine-id and SSH host keys were made on this VM, not copied from the image',
      async run(ctx) {
        checkIdentityFresh(ctx.node.name, await facts(ctx, IDENTITY_SCRIPT));
      },
    },
    {
      name: 'no_swap_on_os_disk',
      priority: 1,
      timeoutMs: 300_000,
      description: 'no swap partition or swap file on the OS disk',
      async run(ctx) {
        checkNoSwapOnOsDisk(ctx.node.name, await facts(ctx, SWAP_SCRIPT));
      },
    },
    {
      name: 'serial_console_enabled',
      priority: 1,
      timeoutMs: 300_000,
      description: 'the kernel command line sends the console to a serial port',
      async run(ctx) {
        checkSerialConsole(ctx.node.name, (await facts(ctx, "echo '### cmdline'; cat /proc/cmdline")).cmdline ?? '');
      },
    },
    {
      name: 'no_failed_units',
      priority: 1,
      timeoutMs: 300_000,
      description: 'no failed systemd unit after boot',
      async run(ctx) {
        checkNoFailedUnits(ctx.node.name, await facts(ctx, FAILED_UNITS_SCRIPT));
      },
    },
    {
      name: 'package_database_clean',
      priority: 1,
      timeoutMs: 600_000,
      description: 'no half-installed or broken package; the package manager finds its database consistent',
      async run(ctx) {
        checkPackageDbClean(ctx.node.name, await facts(ctx, PACKAGE_DB_SCRIPT[await family(ctx)]));
      },
    },
    {
      name: 'repositories_consistent',
      priority: 2,
      timeoutMs: 900_000,
      description: 'every repository is for this release and its indexes refresh without errors',
      async run(ctx) {
        const f = await family(ctx);
        checkRepositories(ctx.node.name, await facts(ctx, REPOSITORIES_SCRIPT[f]), f);
      },
    },
  ],
});
