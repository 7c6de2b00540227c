import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface PciDevice {
  /** `00:02.0` (or with a domain, `0000:00:02.0`). */
  slot: string;
  className: string;
  /** 4 hex digits, e.g. `0200` for Ethernet. */
  classId: string;
  vendor: string;
  vendorId: string;
  device: string;
  deviceId: string;
  revision: string;
  progIf: string;
  subsystemVendor: string;
  subsystemVendorId: string;
  subsystem: string;
  subsystemId: string;
}

/** Splits a line of `lspci -mm` into tokens: quoted strings and bare options like `-r01`. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1] : m[2]!);
  return out;
}

/** `Red Hat, Inc. [1af4]` → ['Red Hat, Inc.', '1af4']. */
function nameId(s: string): [string, string] {
  const m = /^(.*?)\s*\[([0-9a-fA-F]{4})\]$/.exec(s);
  return m ? [m[1]!, m[2]!.toLowerCase()] : [s, ''];
}

/** Parses `lspci -mm -nn`: slot, class, vendor, device, then -rXX -pXX and the subsystem pair. */
export function parseLspciMm(text: string): PciDevice[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const t = tokens(line);
      const [slot = '', cls = '', vendor = '', device = ''] = t;
      const rest = t.slice(4);
      const opt = (p: string) => rest.find((x) => x.startsWith(p))?.slice(2) ?? '';
      const positional = rest.filter((x) => !/^-[rp][0-9a-fA-F]+$/.test(x));
      const [className, classId] = nameId(cls);
      const [vName, vId] = nameId(vendor);
      const [dName, dId] = nameId(device);
      const [svName, svId] = nameId(positional[0] ?? '');
      const [sName, sId] = nameId(positional[1] ?? '');
      return {
        slot,
        className,
        classId,
        vendor: vName,
        vendorId: vId,
        device: dName,
        deviceId: dId,
        revision: opt('-r'),
        progIf: opt('-p'),
        subsystemVendor: svName,
        subsystemVendorId: svId,
        subsystem: sName,
        subsystemId: sId,
      };
    });
}

/** `lspci`: PCI devices with vendor and device IDs. */
export class Lspci extends Tool {
  readonly command = 'lspci';
  override readonly packages: PackageNames = { default: 'pciutils' };

  async list(): Promise<PciDevice[]> {
    return parseLspciMm((await this.runOk('-mm -nn', { timeoutMs: 60_000 })).stdout);
  }
}
