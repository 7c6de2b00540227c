import { Tool } from '../src/tool/tool.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
  /** 127.0.0.53: systemd-resolved's stub; the real upstream servers are in resolvectl. */
  usesResolvedStub: boolean;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], options: [], usesResolvedStub: false };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...values] = line.split(/\s+/);
    if (key === 'nameserver' && values[0]) conf.nameservers.push(values[0]);
    // The last search/domain line wins, as in the resolver.
    else if (key === 'search' || key === 'domain') conf.search = values;
    else if (key === 'options') conf.options.push(...values);
  }
  conf.usesResolvedStub = conf.nameservers.includes('127.0.0.53');
  return conf;
}

/** /etc/resolv.conf, read as a file (every system has cat). */
export class ResolvConfFile extends Tool {
  readonly command = 'cat';

  async read(path = '/etc/resolv.conf'): Promise<ResolvConf> {
    return parseResolvConf(await this.node.readFile(path));
  }
}
