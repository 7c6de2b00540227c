import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface ListeningSocket {
  /** tcp, udp, ... */
  netid: string;
  state: string;
  localAddress: string;
  localPort: number;
  /** Interface the socket is bound to (`127.0.0.53%lo`), if any. */
  iface?: string;
  /** Process names from `users:(("sshd",pid=1,fd=3))`, when ss could see them (needs root). */
  processes: string[];
}

function splitAddress(field: string): { address: string; port: number; iface?: string } {
  const idx = field.lastIndexOf(':');
  let address = idx >= 0 ? field.slice(0, idx) : field;
  const portText = idx >= 0 ? field.slice(idx + 1) : '';
  let iface: string | undefined;
  const pct = address.indexOf('%');
  if (pct >= 0) {
    iface = address.slice(pct + 1);
    address = address.slice(0, pct);
  }
  address = address.replace(/^\[|\]$/g, '');
  const out: { address: string; port: number; iface?: string } = {
    address,
    port: portText === '*' ? 0 : Number(portText),
  };
  if (iface) out.iface = iface;
  return out;
}

/**
 * Parses `ss -H -ltun[p]` lines. With several protocols the first column is the netid; with one
 * (`ss -H -ltn`) it is missing and `defaultNetid` is used.
 */
export function parseSsListening(text: string, defaultNetid = 'tcp'): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const hasNetid = !/^\d+$/.test(cols[1]!);
    const netid = hasNetid ? cols.shift()! : defaultNetid;
    const [state, , , local] = cols;
    const users = line.match(/\("([^"]+)",pid=/g) ?? [];
    const addr = splitAddress(local!);
    const s: ListeningSocket = {
      netid,
      state: state!,
      localAddress: addr.address,
      localPort: addr.port,
      processes: [...new Set(users.map((u) => u.slice(2, u.indexOf('",'))))],
    };
    if (addr.iface) s.iface = addr.iface;
    sockets.push(s);
  }
  return sockets;
}

/** `ss` from iproute2: sockets. */
export class Ss extends Tool {
  readonly command = 'ss';
  override readonly packages: PackageNames = {
    default: 'iproute2',
    redhat: 'iproute',
    mariner: 'iproute',
    azurelinux: 'iproute',
  };

  /** Listening TCP and bound UDP sockets; with sudo so process names are visible. */
  async listening(): Promise<ListeningSocket[]> {
    return parseSsListening((await this.runOk('-H -ltunp', { sudo: true })).stdout);
  }

  async isListening(port: number, netid = 'tcp'): Promise<boolean> {
    return (await this.listening()).some((s) => s.localPort === port && s.netid === netid);
  }
}
