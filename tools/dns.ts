import { Tool, ToolNotAvailableError } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface DnsLookupResult {
  name: string;
  /** Empty when the name did not resolve. */
  addresses: string[];
  /** Which resolver front end answered. */
  via: 'getent' | 'host' | 'dig';
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:.]*$/i;

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** `getent hosts` / `getent ahosts`: the first column of each line is an address. */
export function parseGetentHosts(text: string): string[] {
  return unique(
    text
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter((a) => IPV4.test(a) || IPV6.test(a)),
  );
}

/** `host NAME`: "NAME has address A" / "has IPv6 address A". */
export function parseHostOutput(text: string): string[] {
  return unique([...text.matchAll(/has (?:IPv6 )?address (\S+)/g)].map((m) => m[1]!));
}

/** `dig +short`: one record per line; CNAME targets end with a dot and are skipped. */
export function parseDigShort(text: string): string[] {
  return unique(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((a) => IPV4.test(a) || IPV6.test(a)),
  );
}

/**
 * Name resolution as applications see it. getent goes through NSS (nsswitch, /etc/hosts,
 * systemd-resolved), so it is preferred; host and dig only ask DNS and are fallbacks for systems
 * without getent (musl).
 */
export class DnsLookup extends Tool {
  readonly command = 'getent';

  override async exists(): Promise<boolean> {
    const r = await this.node.execute('command -v getent || command -v host || command -v dig', { noErrorLog: true });
    return r.exitCode === 0;
  }

  override async install(): Promise<void> {
    throw new ToolNotAvailableError(this.name, this.node.name, 'none of getent, host or dig is installed');
  }

  async lookup(name: string): Promise<DnsLookupResult> {
    await this.ensure();
    const q = shellQuote(name);
    const which = (
      await this.node.execute('command -v getent || command -v host || command -v dig', { noErrorLog: true })
    ).stdout;
    if (/getent/.test(which)) {
      const r = await this.node.execute(`getent ahosts ${q}`, { noErrorLog: true, timeoutMs: 60_000 });
      return { name, addresses: parseGetentHosts(r.stdout), via: 'getent' };
    }
    if (/\/host\s*$/m.test(which)) {
      const r = await this.node.execute(`host ${q}`, { noErrorLog: true, timeoutMs: 60_000 });
      return { name, addresses: parseHostOutput(r.stdout), via: 'host' };
    }
    const r = await this.node.execute(`dig +short ${q} A ${q} AAAA`, { noErrorLog: true, timeoutMs: 60_000 });
    return { name, addresses: parseDigShort(r.stdout), via: 'dig' };
  }
}
