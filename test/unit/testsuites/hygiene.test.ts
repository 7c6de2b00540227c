import { describe, test } from 'node:test';
import {
  checkIdentityFresh,
  checkNoFailedUnits,
  checkNoHistory,
  checkNoLeftoverKeys,
  checkNoSwapOnOsDisk,
  checkPackageDbClean,
  checkRepositories,
  checkSerialConsole,
} from '../../../testsuites/hygiene/checks.js';
import { parseFactBlocks } from '../../../tools/fact-probe.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

// Recorded on the CIS-hardened built-in guest (see test/fixtures/testsuites/hygiene/README.md).
const rec = (name: string, edit: (t: string) => string = (t) => t) =>
  parseFactBlocks(edit(fixture(`testsuites/hygiene/debian12-cis/${name}.txt`)));

describe('image hygiene on recorded real output', () => {
  test('authorized_keys: none on the guest; a leftover in root is named, the login user is exempt', () => {
    checkNoLeftoverKeys('guest', rec('authorized_keys'));
    const leftover = (t: string) =>
      t.replace(
        '### keys',
        '### keys\n/root/.ssh/authorized_keys|root|ssh-ed25519 leftover@build\n/home/lisa/.ssh/authorized_keys|lisa|ssh-ed25519 me@laptop',
      );
    failsWith(
      () => checkNoLeftoverKeys('guest', rec('authorized_keys', leftover)),
      /\/root\/\.ssh\/authorized_keys: ssh-ed25519 leftover@build/,
      /^(?![\s\S]*me@laptop)/,
    );
  });
  test('history: none on the guest; a root history file is named', () => {
    checkNoHistory('guest', rec('history'));
    failsWith(
      () =>
        checkNoHistory(
          'guest',
          rec('history', (t) => `${t}\n120|root|/root/.bash_history`),
        ),
      /\/root\/\.bash_history \(120 bytes, user root\)/,
    );
  });
  test('identity: made after the image; a host key older than the root filesystem is baked in', () => {
    checkIdentityFresh('guest', rec('identity'));
    const old = (t: string) =>
      t.replace(/^\d+\|\/etc\/ssh\/ssh_host_ed25519_key$/m, '978307200|/etc/ssh/ssh_host_ed25519_key');
    failsWith(() => checkIdentityFresh('guest', rec('identity', old)), /ssh_host_ed25519_key \(modified 2001-01-01/);
    failsWith(
      () =>
        checkIdentityFresh(
          'guest',
          rec('identity', (t) => t.replace(/### machine_id\n.*/, '### machine_id\nuninitialized')),
        ),
      /machine-id/,
    );
  });
  test('swap: none on the guest; a swap file on the root filesystem is named', () => {
    checkNoSwapOnOsDisk('guest', rec('swap'));
    const swap = (t: string) => t.replace('### swap_disks', '### swap_disks\n/swapfile|file|/dev/vda');
    failsWith(() => checkNoSwapOnOsDisk('guest', rec('swap', swap)), /\/swapfile \(file\)/);
  });
  test('serial console: console=ttyS0 on the guest; a VGA-only console fails', () => {
    checkSerialConsole('guest', rec('cmdline').cmdline ?? '');
    failsWith(
      () => checkSerialConsole('guest', (rec('cmdline').cmdline ?? '').replace('console=ttyS0', 'console=tty0')),
      /console=tty0/,
    );
  });
  test('failed units: none on the guest; one is named', () => {
    checkNoFailedUnits('guest', rec('failed_units'));
    failsWith(
      () =>
        checkNoFailedUnits(
          'guest',
          rec('failed_units', (t) => `${t}\nlisa-broken.service`),
        ),
      /lisa-broken\.service/,
    );
  });
  test('package database: clean on the guest; a half-configured package is named', () => {
    checkPackageDbClean('guest', rec('package_db'));
    const half = (t: string) => t.replace('### states', '### states\niF |telnet');
    failsWith(() => checkPackageDbClean('guest', rec('package_db', half)), /package telnet in state iF/);
  });
  test('repositories: bookworm only and refreshed on the guest; a sid source and a fetch error are named', () => {
    checkRepositories('guest', rec('repositories'), 'debian');
    const stale = (t: string) =>
      t
        .replace('### sources', '### sources\ndeb http://127.0.0.1:9/debian sid main')
        .replace('### update', '### update\nErr:5 http://127.0.0.1:9/debian sid InRelease');
    failsWith(
      () => checkRepositories('guest', rec('repositories', stale), 'debian'),
      /suite sid, this is bookworm/,
      /Err:5 http:\/\/127\.0\.0\.1:9/,
    );
  });
});
