import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface EthtoolDriverInfo {
  driver: string;
  version: string;
  firmwareVersion: string;
  busInfo: string;
}

export interface EthtoolLinkSettings {
  /** Mb/s; null when the driver does not report it (virtio reports `Unknown!`). */
  speedMbps: number | null;
  duplex: string;
  autoNegotiation: boolean;
  port: string;
  linkDetected: boolean | null;
}

export interface EthtoolFeature {
  enabled: boolean;
  /** `[fixed]`: the driver does not allow changing it. */
  fixed: boolean;
}

/** Parses the `key: value` lines that `ethtool -i` and plain `ethtool` print (indented lines included). */
function colonFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:]+?):\s*(.*)$/.exec(line);
    if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return fields;
}

export function parseEthtoolDriverInfo(text: string): EthtoolDriverInfo {
  const f = colonFields(text);
  if (!f.has('driver')) throw new Error(`ethtool -i: no "driver:" line in output: ${text.trim().slice(0, 200)}`);
  return {
    driver: f.get('driver') ?? '',
    version: f.get('version') ?? '',
    firmwareVersion: f.get('firmware-version') ?? '',
    busInfo: f.get('bus-info') ?? '',
  };
}

export function parseEthtoolSettings(text: string): EthtoolLinkSettings {
  const f = colonFields(text);
  const speed = /^(\d+)\s*Mb\/s/.exec(f.get('speed') ?? '');
  const link = f.get('link detected');
  return {
    speedMbps: speed ? Number(speed[1]) : null,
    duplex: (f.get('duplex') ?? '').replace(/!.*$/, '').trim(),
    autoNegotiation: f.get('auto-negotiation') === 'on',
    port: f.get('port') ?? '',
    linkDetected: link === undefined ? null : link === 'yes',
  };
}

/** Parses `ethtool -k` (offload features). */
export function parseEthtoolFeatures(text: string): Record<string, EthtoolFeature> {
  const features: Record<string, EthtoolFeature> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([a-z0-9-]+):\s+(on|off)(\s+\[(?:fixed|requested [a-z]+)\])?/.exec(line);
    if (m) features[m[1]!] = { enabled: m[2] === 'on', fixed: (m[3] ?? '').includes('fixed') };
  }
  return features;
}

/** `ethtool`: driver, link settings and offloads of a NIC. */
export class Ethtool extends Tool {
  readonly command = 'ethtool';
  override readonly packages: PackageNames = { default: 'ethtool' };

  async driverInfo(iface: string): Promise<EthtoolDriverInfo> {
    return parseEthtoolDriverInfo((await this.runOk(`-i ${shellQuote(iface)}`)).stdout);
  }

  /** Some drivers only report link settings to root. */
  async linkSettings(iface: string): Promise<EthtoolLinkSettings> {
    return parseEthtoolSettings((await this.runOk(shellQuote(iface), { sudo: true })).stdout);
  }

  async offloads(iface: string): Promise<Record<string, EthtoolFeature>> {
    return parseEthtoolFeatures((await this.runOk(`-k ${shellQuote(iface)}`)).stdout);
  }
}
