import assert from 'node:assert/strict';
import { fixture } from './fixture.js';
import { test } from 'node:test';
import { osInfoFromFields } from '../../../src/os/detect.js';
import {
  CommandPackageManager,
  ImmutableOsError,
  isLockContention,
  PACKAGE_COMMANDS,
  packageManagerFor,
  packageManagerNameFor,
  PackageManagerError,
} from '../../../src/os/package-manager.js';
import { ScriptNode, type Reply } from './script-node.js';

const pmFixture = (name: string) => fixture(`os/package-manager/${name}`);
const noSleep = { attempts: 4, delayMs: 1, maxDelayMs: 4, sleep: async () => {} };

test('command lines are non-interactive and quote package names', () => {
  assert.equal(
    PACKAGE_COMMANDS.apt.install(['sl', 'a b']),
    "env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=0 sl 'a b'",
  );
  assert.equal(PACKAGE_COMMANDS.dnf.install(['fio']), 'dnf install -y -q fio');
  assert.equal(PACKAGE_COMMANDS.tdnf.remove(['fio']), 'tdnf remove -y -q fio');
  assert.match(PACKAGE_COMMANDS.zypper.install(['fio']), /^zypper --non-interactive .*install .*fio$/);
  assert.equal(PACKAGE_COMMANDS.apk.install(['fio']), 'apk add --no-progress fio');
  assert.equal(PACKAGE_COMMANDS.pacman.install(['fio']), 'pacman -S --noconfirm --needed fio');
  assert.equal(PACKAGE_COMMANDS.pkg.install(['fio']), 'env ASSUME_ALWAYS_YES=yes pkg install -y fio');
  assert.equal(PACKAGE_COMMANDS.zypper.query('fio'), 'rpm -q fio');
  assert.equal(PACKAGE_COMMANDS.apt.query("x'y"), `dpkg-query -W -f='\${Status}' 'x'\\''y'`);
});

test('lock contention is recognised in recorded outputs, and only there', () => {
  assert.ok(isLockContention('apt', pmFixture('apt-frontend-lock.txt')));
  assert.ok(isLockContention('apt', pmFixture('apt-lists-lock.txt')));
  assert.ok(isLockContention('zypper', pmFixture('zypper-locked.txt')));
  assert.ok(isLockContention('dnf', pmFixture('dnf-locked.txt')));
  assert.ok(isLockContention('yum', pmFixture('yum-locked.txt')));
  assert.ok(!isLockContention('apt', 'E: Unable to locate package nosuchpkg'));
  assert.ok(!isLockContention('dnf', 'Error: Unable to find a match: nosuchpkg'));
});

test('the manager is chosen from the OS family', () => {
  const os = (fields: Record<string, string>) => osInfoFromFields(fields);
  assert.equal(packageManagerNameFor(os({ ID: 'ubuntu', ID_LIKE: 'debian' })), 'apt');
  assert.equal(packageManagerNameFor(os({ ID: 'rhel' })), 'dnf');
  assert.equal(packageManagerNameFor(os({ ID: 'centos', VERSION_ID: '7' }), false), 'yum');
  assert.equal(packageManagerNameFor(os({ ID: 'mariner' })), 'tdnf');
  assert.equal(packageManagerNameFor(os({ ID: 'photon' })), 'tdnf');
  assert.equal(packageManagerNameFor(os({ ID: 'opensuse-leap' })), 'zypper');
  assert.equal(packageManagerNameFor(os({ ID: 'alpine' })), 'apk');
  assert.equal(packageManagerNameFor(os({ ID: 'arch' })), 'pacman');
  assert.equal(packageManagerNameFor(os({ ID: 'freebsd' })), 'pkg');
  assert.equal(packageManagerNameFor(os({ ID: 'gentoo' })), undefined);
});

test('install retries while apt is locked, with sudo, then succeeds', async () => {
  const replies: Reply[] = [
    { exitCode: 100, stderr: pmFixture('apt-frontend-lock.txt') },
    { exitCode: 100, stderr: pmFixture('apt-lists-lock.txt') },
    { exitCode: 0 },
  ];
  const node = new ScriptNode(() => replies.shift()!);
  const pm = new CommandPackageManager(node, 'apt', noSleep);
  await pm.install(['sl']);
  assert.equal(node.commands.length, 3);
  assert.ok(node.commands.every((c) => c.startsWith('sudo env DEBIAN_FRONTEND=noninteractive')));
  assert.equal(node.sink.lines.filter((l) => /locked/.test(l)).length, 2);
});

test('a lock that never clears fails after the configured attempts, naming the lock', async () => {
  const node = new ScriptNode(() => ({ exitCode: 7, stdout: pmFixture('zypper-locked.txt') }));
  const pm = new CommandPackageManager(node, 'zypper', noSleep);
  await assert.rejects(pm.install(['fio']), (e: Error) => {
    assert.ok(e instanceof PackageManagerError);
    assert.match(e.message, /stayed locked after 4 attempts/);
    assert.match(e.message, /System management is locked/);
    return true;
  });
  assert.equal(node.commands.length, 4);
});

test('other failures are not retried', async () => {
  const node = new ScriptNode(() => ({ exitCode: 100, stderr: 'E: Unable to locate package nosuchpkg' }));
  const pm = new CommandPackageManager(node, 'apt', noSleep);
  await assert.rejects(
    pm.install(['nosuchpkg']),
    /apt could not install nosuchpkg .*exit code 100[\s\S]*Unable to locate/,
  );
  assert.equal(node.commands.length, 1);
});

test('isInstalled reads dpkg status; a removed package with leftover config is not installed', async () => {
  const status: Record<string, Reply> = {
    bash: { stdout: 'install ok installed' },
    old: { stdout: 'deinstall ok config-files' },
    none: { exitCode: 1, stderr: 'dpkg-query: no packages found matching none' },
  };
  const node = new ScriptNode((c) => status[c.split(' ').pop()!]!);
  const pm = new CommandPackageManager(node, 'apt', noSleep);
  assert.equal(await pm.isInstalled('bash'), true);
  assert.equal(await pm.isInstalled('old'), false);
  assert.equal(await pm.isInstalled('none'), false);
  assert.ok(node.commands.every((c) => !c.startsWith('sudo')));
});

test('packageManagerFor: dnf vs yum probe, and immutable hosts get a clear error', async () => {
  const centos7 = new ScriptNode(
    (c) => ({ exitCode: c === 'command -v dnf' ? 1 : 0 }),
    osInfoFromFields({ ID: 'centos', VERSION_ID: '7' }),
  );
  assert.equal((await packageManagerFor(centos7)).name, 'yum');
  const flatcar = new ScriptNode(
    () => ({}),
    osInfoFromFields({ ID: 'flatcar', ID_LIKE: 'coreos', PRETTY_NAME: 'Flatcar Container Linux' }),
  );
  await assert.rejects(
    packageManagerFor(flatcar),
    (e: Error) => e instanceof ImmutableOsError && /immutable OS/.test(e.message),
  );
});

test('Tool.ensure installs the per-family package through the detected manager', async () => {
  const { Free } = await import('../../../tools/free.js');
  let installed = false;
  const alpine = new ScriptNode(
    (c) => {
      if (c.includes('command -v free')) return { exitCode: installed ? 0 : 1 };
      if (c.startsWith('apk add')) {
        installed = true;
        return {};
      }
      if (c === 'free -b')
        return {
          stdout:
            '              total        used        free      shared  buff/cache   available\nMem:     1019236352   174534656   887275520      331776    61349888   844701696\nSwap:              0           0           0\n',
        };
      return { exitCode: 127 };
    },
    osInfoFromFields({ ID: 'alpine', VERSION_ID: '3.20.7' }),
  );
  const free = await new Free(alpine).read();
  assert.equal(free.mem.total, 1019236352);
  assert.ok(alpine.commands.includes('sudo apk add --no-progress procps-ng'), alpine.commands.join('\n'));
});
