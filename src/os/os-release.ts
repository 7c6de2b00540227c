/**
 * Parses os-release(5) text: KEY=value lines, values optionally single- or double-quoted, with
 * backslash escapes inside double quotes. Unknown or malformed lines are ignored, because real
 * files (old SLES, CoreOS) carry comments and odd spacing.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    fields[m[1]!] = unquote(m[2]!.trim());
  }
  return fields;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\`$])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/**
 * Builds os-release-like fields from pre-os-release files, for systems such as RHEL 6 or old
 * Ubuntu: `/etc/redhat-release` ("CentOS release 6.10 (Final)"), `/etc/lsb-release`,
 * `/etc/alpine-release`, and FreeBSD's `freebsd-version`.
 */
export function legacyReleaseFields(files: {
  redhatRelease?: string;
  lsbRelease?: string;
  alpineRelease?: string;
  freebsdVersion?: string;
}): Record<string, string> {
  const rh = files.redhatRelease?.trim();
  if (rh) {
    const version = /release\s+([\d.]+)/i.exec(rh)?.[1] ?? '';
    const codename = /\(([^)]+)\)/.exec(rh)?.[1] ?? '';
    const lower = rh.toLowerCase();
    const id = lower.startsWith('centos')
      ? 'centos'
      : lower.startsWith('fedora')
        ? 'fedora'
        : lower.startsWith('rocky')
          ? 'rocky'
          : lower.startsWith('almalinux')
            ? 'almalinux'
            : lower.startsWith('oracle')
              ? 'ol'
              : 'rhel';
    return { ID: id, ID_LIKE: 'rhel', VERSION_ID: version, PRETTY_NAME: rh, VERSION_CODENAME: codename };
  }
  const lsb = files.lsbRelease?.trim();
  if (lsb) {
    const f = parseOsRelease(lsb);
    if (f.DISTRIB_ID) {
      return {
        ID: f.DISTRIB_ID.toLowerCase(),
        VERSION_ID: f.DISTRIB_RELEASE ?? '',
        VERSION_CODENAME: f.DISTRIB_CODENAME ?? '',
        PRETTY_NAME: f.DISTRIB_DESCRIPTION ?? f.DISTRIB_ID,
      };
    }
  }
  const alpine = files.alpineRelease?.trim();
  if (alpine) return { ID: 'alpine', VERSION_ID: alpine, PRETTY_NAME: `Alpine Linux v${alpine}` };
  const bsd = files.freebsdVersion?.trim();
  if (bsd) {
    // "13.2-RELEASE-p4": the comparable part is the leading number.
    const version = /^[\d.]+/.exec(bsd)?.[0] ?? bsd;
    return { ID: 'freebsd', VERSION_ID: version, PRETTY_NAME: `FreeBSD ${bsd}` };
  }
  return {};
}
