import type { Node } from '../node/types.js';
import { familiesFor, isImmutable } from './families.js';
import { legacyReleaseFields, parseOsRelease } from './os-release.js';
import type { OsInfo } from './types.js';

export { parseOsRelease } from './os-release.js';
export { familiesFor, osMatches } from './families.js';

const SEP = '--lisa-os-section--';

/**
 * One round trip: os-release (or the older release files), then uname. Each section is
 * separated by a marker line so a missing file just leaves an empty section.
 */
export const DETECT_SCRIPT = [
  'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  `echo ${SEP}`,
  'cat /etc/redhat-release 2>/dev/null',
  `echo ${SEP}`,
  'cat /etc/lsb-release 2>/dev/null',
  `echo ${SEP}`,
  'cat /etc/alpine-release 2>/dev/null',
  `echo ${SEP}`,
  'freebsd-version 2>/dev/null',
  `echo ${SEP}`,
  'uname -s; uname -r; uname -v; uname -m',
].join('; ');

export async function detectOs(node: Node): Promise<OsInfo> {
  const r = await node.execute(DETECT_SCRIPT, { timeoutMs: 60_000, noErrorLog: true });
  if (!r.stdout.includes(SEP)) {
    throw new Error(
      `cannot detect the OS of ${node.name}: unexpected output of the detection script (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`,
    );
  }
  return parseDetectOutput(r.stdout);
}

/** Pure part of detectOs, exported for tests: the script's stdout → OsInfo. */
export function parseDetectOutput(stdout: string): OsInfo {
  const [osRelease = '', redhatRelease, lsbRelease, alpineRelease, freebsdVersion, uname = ''] = stdout.split(
    new RegExp(`^${SEP}$`, 'm'),
  );
  const [kname = '', krelease = '', kversion = '', arch = ''] = uname.replace(/^\n/, '').split('\n');
  let fields = parseOsRelease(osRelease);
  if (!fields.ID)
    fields = { ...legacyReleaseFields({ redhatRelease, lsbRelease, alpineRelease, freebsdVersion }), ...fields };
  return osInfoFromFields(
    fields,
    { name: kname.trim(), release: krelease.trim(), version: kversion.trim() },
    arch.trim(),
  );
}

export function osInfoFromFields(
  fields: Record<string, string>,
  kernel: OsInfo['kernel'] = { name: 'Linux', release: '', version: '' },
  arch = '',
): OsInfo {
  const families = familiesFor(fields, kernel.name || 'Linux');
  const version = fields.VERSION_ID ?? '';
  const name =
    fields.PRETTY_NAME ||
    [fields.NAME, fields.VERSION].filter(Boolean).join(' ') ||
    fields.ID ||
    kernel.name ||
    'unknown';
  return {
    id: (fields.ID ?? (families[0] === 'unknown' ? 'unknown' : families[0]!)).toLowerCase(),
    name,
    version,
    codename: fields.VERSION_CODENAME || fields.UBUNTU_CODENAME || codenameFromVersion(fields.VERSION ?? ''),
    families,
    kernel,
    arch,
    immutable: isImmutable(fields, families),
  };
}

/** Debian 8-10 and others put the codename only in VERSION: `10 (buster)`. */
function codenameFromVersion(version: string): string {
  const m = /\(([^)]+)\)/.exec(version);
  if (!m) return '';
  // Ubuntu's VERSION is "22.04.4 LTS (Jammy Jellyfish)": the codename is the first word, lowercased.
  return m[1]!.split(/[\s,]+/)[0]!.toLowerCase();
}
