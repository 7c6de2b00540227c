import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = fixture;

import { parsePasswd, parseShadow } from '../../../tools/accounts.js';
import { parseAaStatusJson } from '../../../tools/apparmor.js';
import { parseFipsState } from '../../../tools/fips.js';
import { parseUmaskSettings } from '../../../tools/login-defs.js';
import { parseSestatus } from '../../../tools/selinux.js';
import { parseHistoryStat } from '../../../tools/shell-history.js';
import { parseSshKeygenFingerprints } from '../../../tools/ssh-host-keys.js';
import { parseSshdT } from '../../../tools/sshd-config.js';
import { parseStatLines } from '../../../tools/world-writable.js';
import {
  checkFips,
  checkHostKeysUnique,
  checkMacEnforcing,
  checkNoEmptyPasswords,
  checkNoHostKeys,
  checkNoShellHistory,
  checkNoWorldWritable,
  checkOnlyRootHasUid0,
  checkSshEmptyPasswords,
  checkSshRootLogin,
  checkUmask,
  checkUsrReadOnly,
  fipsReport,
  macReport,
} from '../../../testsuites/security/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const sshd = () => fx('tools/sshd-config/guest-sshd-T.txt');

test('sshd of the Debian 12 guest passes; PermitRootLogin yes and empty passwords fail', () => {
  checkSshRootLogin('guest', parseSshdT(sshd()));
  checkSshEmptyPasswords('guest', parseSshdT(sshd()));
  const rootYes = parseSshdT(sshd().replace('permitrootlogin without-password', 'permitrootlogin yes'));
  failsWith(
    () => checkSshRootLogin('guest', rootYes),
    /PermitRootLogin of sshd on guest: expected no, prohibit-password or forced-commands-only, found yes/,
  );
  const empty = parseSshdT(sshd().replace('permitemptypasswords no', 'permitemptypasswords yes'));
  failsWith(
    () => checkSshEmptyPasswords('guest', empty),
    /PermitEmptyPasswords of sshd on guest: expected no, found yes/,
  );
});

test('world-writable files', () => {
  checkNoWorldWritable('host', parseStatLines(fx('tools/world-writable/clean.txt')));
  failsWith(
    () => checkNoWorldWritable('host', parseStatLines(fx('tools/world-writable/broken.txt'))),
    /expected none, found 2: \/usr\/local\/bin\/lisa-ww-demo \(regular empty file, mode 777, owner root\); \/etc\/lisa-ww-dir \(directory/,
  );
});

test('accounts: empty password and a second UID 0', () => {
  checkNoEmptyPasswords('guest', parseShadow(fx('tools/accounts/guest-shadow.txt')));
  checkOnlyRootHasUid0('guest', parsePasswd(fx('tools/accounts/guest-passwd.txt')));
  const emptyLisa = fx('tools/accounts/guest-shadow.txt').replace(/^lisa:!:/m, 'lisa::');
  failsWith(
    () => checkNoEmptyPasswords('guest', parseShadow(emptyLisa)),
    /accounts with an empty password on guest: expected none, found 1: lisa/,
  );
  const toor = `${fx('tools/accounts/guest-passwd.txt')}toor:x:0:0:root:/root:/bin/bash\n`;
  failsWith(
    () => checkOnlyRootHasUid0('guest', parsePasswd(toor)),
    /accounts other than root with UID 0 on guest: expected none, found 1: toor/,
  );
});

test('umask', () => {
  checkUmask('guest', parseUmaskSettings(fx('tools/login-defs/guest-umask-grep.txt')));
  failsWith(
    () => checkUmask('guest', parseUmaskSettings('/etc/login.defs:UMASK\t\t002\n')),
    /umask settings looser than 022 on guest: expected none, found 1: 002 in \/etc\/login.defs/,
  );
  failsWith(
    () => checkUmask('guest', []),
    /expected 022 or stricter set in \/etc\/login.defs or \/etc\/profile, found no umask setting/,
  );
});

test('MAC state: reported as sub-results; enforcement only when required', () => {
  const disabled = parseSestatus(fx('tools/selinux/sestatus-debian.txt'));
  const aa = { enabled: true, ...parseAaStatusJson(fx('tools/apparmor/guest-aa-status.json')) };
  assert.deepEqual(
    macReport(disabled, aa).map((r) => [r.name, r.status]),
    [
      ['selinux', 'SKIPPED'],
      ['apparmor', 'PASSED'],
    ],
  );
  checkMacEnforcing('guest', disabled, aa);
  checkMacEnforcing('rhel', parseSestatus(fx('tools/selinux/sestatus-rhel9-enforcing.txt')), { enabled: false });
  failsWith(
    () => checkMacEnforcing('guest', disabled, { enabled: false }),
    /expected SELinux enforcing or AppArmor enforcing profiles, found SELinux disabled; AppArmor disabled/,
  );
});

test('FIPS: reported; enforced only against expect_fips', () => {
  assert.match(fipsReport(parseFipsState(null, '')).message, /not supported by the kernel/);
  checkFips('guest', parseFipsState('0', ''), false);
  failsWith(
    () => checkFips('guest', parseFipsState('0', ''), true),
    /FIPS mode on guest: expected enabled, found FIPS mode disabled/,
  );
  failsWith(
    () => checkFips('guest', parseFipsState('0', 'fips=1'), true),
    /expected enabled \(fips=1 is on the kernel command line\), found disabled/,
  );
});

test('read-only /usr on immutable hosts', () => {
  checkUsrReadOnly('flatcar', { writable: false, error: 'Read-only file system' });
  failsWith(
    () => checkUsrReadOnly('flatcar', { writable: true }),
    /\/usr on flatcar: expected read-only \(immutable host\), found writable by root/,
  );
});

test('shell history left in an image', () => {
  checkNoShellHistory('guest', []);
  failsWith(
    () => checkNoShellHistory('guest', parseHistoryStat(fx('tools/shell-history/guest-leftovers.txt'))),
    /found 2: \/root\/.bash_history \(12 bytes, owner root\); \/home\/lisa\/.bash_history/,
  );
});

test('host keys: only fail when asked; shared keys between clones always named', () => {
  const keys = parseSshKeygenFingerprints(fx('tools/ssh-host-keys/guest-fingerprints.txt'));
  checkNoHostKeys('guest', keys, false);
  failsWith(
    () => checkNoHostKeys('guest', keys, true),
    /SSH host keys present on guest .*: expected none, found 3: ECDSA SHA256:/,
  );
  const other = parseSshKeygenFingerprints(fx('tools/ssh-host-keys/hostkeys-l.txt'));
  checkHostKeysUnique({ n1: keys, n2: other });
  failsWith(
    () => checkHostKeysUnique({ n1: keys, n2: keys }),
    /shared between nodes .*found 3: ECDSA SHA256:wvI\+.* on n1, n2/,
  );
});
