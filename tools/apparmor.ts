import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface AppArmorStatus {
  /** The kernel LSM is active (/sys/module/apparmor/parameters/enabled = Y). */
  enabled: boolean;
  /** Profile counts per mode; absent when aa-status is not installed. */
  profiles?: { enforce: number; complain: number; other: number };
  /** Processes confined by a profile, per mode. */
  processes?: { enforce: number; complain: number; unconfined: number };
}

/** Parses `aa-status --json` (profiles: name → mode; processes: exe → [{profile, pid, status}]). */
export function parseAaStatusJson(text: string): Required<Pick<AppArmorStatus, 'profiles' | 'processes'>> {
  const doc = JSON.parse(text) as {
    profiles?: Record<string, string>;
    processes?: Record<string, Array<{ status?: string }>>;
  };
  const profiles = { enforce: 0, complain: 0, other: 0 };
  for (const mode of Object.values(doc.profiles ?? {})) {
    if (mode === 'enforce') profiles.enforce++;
    else if (mode === 'complain') profiles.complain++;
    else profiles.other++;
  }
  const processes = { enforce: 0, complain: 0, unconfined: 0 };
  for (const list of Object.values(doc.processes ?? {})) {
    for (const p of list) {
      if (p.status === 'enforce') processes.enforce++;
      else if (p.status === 'complain') processes.complain++;
      else processes.unconfined++;
    }
  }
  return { profiles, processes };
}

export function parseAppArmorEnabled(text: string): boolean {
  return text.trim().toUpperCase() === 'Y';
}

/** AppArmor: kernel state always; profile counts when aa-status is installed (never installs it). */
export class AppArmor extends Tool {
  readonly command = 'aa-status';
  override readonly packages: PackageNames = { default: 'apparmor-utils', suse: 'apparmor-utils' };

  async status(): Promise<AppArmorStatus> {
    const enabled = await this.node.execute('cat /sys/module/apparmor/parameters/enabled 2>/dev/null', {
      noErrorLog: true,
    });
    const status: AppArmorStatus = { enabled: parseAppArmorEnabled(enabled.stdout) };
    if (!status.enabled || !(await this.exists())) return status;
    const r = await this.node.execute('PATH="$PATH:/usr/sbin:/sbin" aa-status --json', {
      sudo: true,
      noErrorLog: true,
    });
    if (r.exitCode === 0 && r.stdout.trim().startsWith('{')) Object.assign(status, parseAaStatusJson(r.stdout));
    return status;
  }
}
