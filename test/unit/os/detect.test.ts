import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fixturesDir } from './fixture.js';
import { familiesFor, osMatches, parseDetectOutput, parseOsRelease } from '../../../src/os/detect.js';
import { osInfoFromFields } from '../../../src/os/detect.js';

const root = `${fixturesDir}os-release/`;

/** Expected most-specific family, by the fixture's top directory (which is the os-release ID). */
const EXPECTED: Record<string, { families: string[]; immutable?: boolean }> = {
  almalinux: { families: ['almalinux', 'redhat', 'linux'] },
  alpine: { families: ['alpine', 'linux'] },
  amzn: { families: ['amazon', 'redhat', 'linux'] },
  arch: { families: ['arch', 'linux'] },
  azurelinux: { families: ['azurelinux', 'linux'] },
  centos: { families: ['centos', 'redhat', 'linux'] },
  'clear-linux-os': { families: ['clearlinux', 'linux'] },
  coreos: { families: ['coreos', 'linux'], immutable: true },
  cos: { families: ['cos', 'linux'], immutable: true },
  debian: { families: ['debian', 'linux'] },
  fedora: { families: ['fedora', 'redhat', 'linux'] },
  flatcar: { families: ['flatcar', 'coreos', 'linux'], immutable: true },
  freebsd: { families: ['freebsd', 'bsd'] },
  gentoo: { families: ['gentoo', 'linux'] },
  mariner: { families: ['mariner', 'azurelinux', 'linux'] },
  nixos: { families: ['nixos', 'linux'] },
  ol: { families: ['oracle', 'redhat', 'linux'] },
  'opensuse-leap': { families: ['opensuse', 'suse', 'linux'] },
  'opensuse-tumbleweed': { families: ['opensuse', 'suse', 'linux'] },
  photon: { families: ['photon', 'linux'] },
  rhel: { families: ['rhel', 'redhat', 'linux'] },
  rocky: { families: ['rocky', 'redhat', 'linux'] },
  sles: { families: ['sles', 'suse', 'linux'] },
  ubuntu: { families: ['ubuntu', 'debian', 'linux'] },
  void: { families: ['void', 'linux'] },
};

function fixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return fixtures(p);
    return dir === root ? [] : [p];
  });
}

const files = fixtures(root);

test('the fixture set covers every distribution in the table', () => {
  assert.ok(files.length >= 90, `only ${files.length} fixtures`);
  const dirs = new Set(files.map((f) => relative(root, f).split('/')[0]!));
  assert.deepEqual([...dirs].sort(), Object.keys(EXPECTED).sort());
});

for (const file of files) {
  const rel = relative(root, file);
  const [distro, ...rest] = rel.split('/');
  test(`os-release ${rel} is detected into the right family`, () => {
    const fields = parseOsRelease(readFileSync(file, 'utf8'));
    const kernel = distro === 'freebsd' ? 'FreeBSD' : 'Linux';
    const os = osInfoFromFields(fields, { name: kernel, release: '', version: '' }, 'x86_64');
    const fedoraCoreos = distro === 'fedora' && rest[0] === 'coreos';
    const want = EXPECTED[distro!]!;
    assert.deepEqual(os.families, want.families);
    assert.equal(os.immutable, want.immutable ?? fedoraCoreos, 'immutable');
    assert.ok(os.name.length > 0, 'name');
    // The directory below the ID (or variant) is the VERSION_ID, except for rolling releases.
    const dirVersion = rest[rest.length - 1]!;
    if (/^\d/.test(dirVersion)) assert.equal(os.version, dirVersion);
    assert.equal(familiesFor(fields, kernel)[0], want.families[0]);
  });
}

test('parseOsRelease handles quoting, escapes, comments and blank lines', () => {
  const f = parseOsRelease(`# comment\nNAME="Foo \\"Bar\\""\nID=foo\n\nVERSION='1 (x)'\nbogus line\nEMPTY=\n`);
  assert.deepEqual(f, { NAME: 'Foo "Bar"', ID: 'foo', VERSION: '1 (x)', EMPTY: '' });
});

test('familiesFor falls back to ID_LIKE for derivatives', () => {
  assert.deepEqual(familiesFor({ ID: 'linuxmint', ID_LIKE: 'ubuntu debian' }), ['ubuntu', 'debian', 'linux']);
  assert.deepEqual(familiesFor({ ID: 'eurolinux', ID_LIKE: 'rhel fedora centos' }), ['rhel', 'redhat', 'linux']);
  assert.deepEqual(familiesFor({ ID: 'somethingnew' }), ['linux']);
  assert.deepEqual(familiesFor({}, 'Darwin'), ['unknown']);
});

test('osMatches: a debian requirement accepts Ubuntu, not Fedora; IDs work as aliases', () => {
  const ubuntu = osInfoFromFields({ ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '22.04' });
  const fedora = osInfoFromFields({ ID: 'fedora', VERSION_ID: '40' });
  const ol = osInfoFromFields({ ID: 'ol', ID_LIKE: 'fedora', VERSION_ID: '8.7' });
  assert.equal(osMatches(ubuntu, ['debian']), true);
  assert.equal(osMatches(ubuntu, ['Linux']), true);
  assert.equal(osMatches(ubuntu, ['redhat']), false);
  assert.equal(osMatches(fedora, ['debian', 'suse']), false);
  assert.equal(osMatches(fedora, ['redhat']), true);
  assert.equal(osMatches(ol, ['ol']), true);
  assert.equal(osMatches(ol, ['oracle']), true);
  assert.equal(osMatches(ol, []), true);
});

const SEP = '--lisa-os-section--';

test('parseDetectOutput reads os-release and uname sections', () => {
  const out = [
    readFileSync(join(root, 'debian/12'), 'utf8'),
    '',
    '',
    '',
    '',
    'Linux\n6.1.0-18-amd64\n#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\nx86_64\n',
  ].join(`${SEP}\n`);
  const os = parseDetectOutput(out);
  assert.equal(os.id, 'debian');
  assert.equal(os.version, '12');
  assert.equal(os.codename, 'bookworm');
  assert.deepEqual(os.kernel, {
    name: 'Linux',
    release: '6.1.0-18-amd64',
    version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
  });
  assert.equal(os.arch, 'x86_64');
});

test('parseDetectOutput falls back to /etc/redhat-release, lsb-release, alpine-release, freebsd-version', () => {
  const mk = (i: number, text: string, uname = 'Linux\n2.6.32\n#1 SMP\nx86_64\n') => {
    const sections = ['', '', '', '', '', uname];
    sections[i] = text;
    return sections.join(`${SEP}\n`);
  };
  const c6 = parseDetectOutput(mk(1, 'CentOS release 6.10 (Final)\n'));
  assert.deepEqual([c6.id, c6.version, c6.families[0]], ['centos', '6.10', 'centos']);
  const u = parseDetectOutput(
    mk(
      2,
      'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_CODENAME=trusty\nDISTRIB_DESCRIPTION="Ubuntu 14.04.6 LTS"\n',
    ),
  );
  assert.deepEqual([u.id, u.version, u.codename, u.families[1]], ['ubuntu', '14.04', 'trusty', 'debian']);
  const a = parseDetectOutput(mk(3, '3.2.0\n'));
  assert.deepEqual([a.id, a.version], ['alpine', '3.2.0']);
  const b = parseDetectOutput(
    mk(4, '13.2-RELEASE-p4\n', 'FreeBSD\n13.2-RELEASE-p4\nFreeBSD 13.2-RELEASE-p4 GENERIC\namd64\n'),
  );
  assert.deepEqual([b.id, b.version, b.families, b.arch], ['freebsd', '13.2', ['freebsd', 'bsd'], 'amd64']);
});
