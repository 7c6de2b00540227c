import { Tool, type PackageNames } from '../src/tool/tool.js';

export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';

export interface SelinuxStatus {
  mode: SelinuxMode;
  /** Loaded policy name (`targeted`), when sestatus says. */
  policy?: string;
  /** Mode from the config file, applied at next boot. */
  configMode?: string;
}

export function parseGetenforce(text: string): SelinuxMode {
  const t = text.trim().toLowerCase();
  if (t === 'enforcing' || t === 'permissive' || t === 'disabled') return t;
  throw new Error(`getenforce: unexpected output ${JSON.stringify(text.trim())}`);
}

/** Parses `sestatus` ("SELinux status: enabled", "Current mode: enforcing", ...). */
export function parseSestatus(text: string): SelinuxStatus {
  const f = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(.*)$/.exec(line.trim());
    if (m) f.set(m[1]!.trim().toLowerCase(), m[2]!.trim());
  }
  if (f.get('selinux status') !== 'enabled') return { mode: 'disabled' };
  const status: SelinuxStatus = { mode: parseGetenforce(f.get('current mode') ?? '') };
  if (f.has('loaded policy name')) status.policy = f.get('loaded policy name')!;
  if (f.has('mode from config file')) status.configMode = f.get('mode from config file')!;
  return status;
}

/**
 * SELinux state. Reads the kernel's own answer (selinuxfs) when the user-space tools are absent,
 * so asking never installs anything on distributions that do not use SELinux.
 */
export class Selinux extends Tool {
  readonly command = 'getenforce';
  override readonly packages: PackageNames = {
    default: 'selinux-utils',
    redhat: 'libselinux-utils',
    mariner: 'libselinux-utils',
    azurelinux: 'libselinux-utils',
  };

  async status(): Promise<SelinuxStatus> {
    const r = await this.node.execute(
      'PATH="$PATH:/usr/sbin:/sbin"; if command -v sestatus >/dev/null; then sestatus; ' +
        'elif [ -r /sys/fs/selinux/enforce ]; then echo "SELinux status: enabled"; ' +
        'if [ "$(cat /sys/fs/selinux/enforce)" = 1 ]; then echo "Current mode: enforcing"; else echo "Current mode: permissive"; fi; ' +
        'else echo "SELinux status: disabled"; fi',
      { noErrorLog: true },
    );
    return parseSestatus(r.stdout);
  }
}
