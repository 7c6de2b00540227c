import { Tool, type PackageNames } from '../src/tool/tool.js';

/** Parses `KEY=value` lines (timedatectl show, systemctl show, os-release without quotes). */
export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export interface TimeStatus {
  timezone: string;
  /** The system clock is synchronised (kernel STA_UNSYNC cleared by an NTP client). */
  ntpSynchronized: boolean;
  /** A time-sync service is enabled through timedated (systemd-timesyncd or chronyd). */
  ntpEnabled: boolean;
  canNtp: boolean;
  localRtc: boolean;
  raw: Record<string, string>;
}

export function parseTimedatectlShow(text: string): TimeStatus {
  const kv = parseKeyValueLines(text);
  if (!('NTPSynchronized' in kv))
    throw new Error(`timedatectl show: no NTPSynchronized in output: ${text.trim().slice(0, 200)}`);
  return {
    timezone: kv.Timezone ?? '',
    ntpSynchronized: kv.NTPSynchronized === 'yes',
    ntpEnabled: kv.NTP === 'yes',
    canNtp: kv.CanNTP === 'yes',
    localRtc: kv.LocalRTC === 'yes',
    raw: kv,
  };
}

/** `timedatectl`: clock synchronisation as systemd sees it. */
export class Timedatectl extends Tool {
  readonly command = 'timedatectl';
  override readonly packages: PackageNames = { default: 'systemd' };

  async status(): Promise<TimeStatus> {
    return parseTimedatectlShow((await this.runOk('show')).stdout);
  }
}
