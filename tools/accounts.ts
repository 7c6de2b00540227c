import { Tool, type PackageNames } from '../src/tool/tool.js';

export type PasswordState = 'empty' | 'locked' | 'hash';

export interface ShadowEntry {
  user: string;
  /** Only the kind of the password field is kept: hashes never leave this parser. */
  password: PasswordState;
}

export interface PasswdEntry {
  user: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

function classify(field: string): PasswordState {
  if (field === '') return 'empty';
  // "!" / "*" / "!!" / "!$6$..." are locked; anything else is a usable hash.
  if (field.startsWith('!') || field.startsWith('*')) return 'locked';
  return 'hash';
}

/** Parses /etc/shadow lines (`getent shadow`) or the already-classified `user:empty|locked|hash` lines. */
export function parseShadow(text: string): ShadowEntry[] {
  const entries: ShadowEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(':')) continue;
    const [user, field = ''] = line.split(':');
    const password = field === 'empty' || field === 'locked' || field === 'hash' ? field : classify(field);
    entries.push({ user: user!, password });
  }
  return entries;
}

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7)
    .map((f) => ({ user: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! }));
}

/** Local accounts: passwd and a hash-free summary of shadow. */
export class Accounts extends Tool {
  readonly command = 'getent';
  override readonly packages: PackageNames = { default: 'libc-bin', redhat: 'glibc-common' };

  /** The password field is classified on the node so that hashes never reach the node log. */
  async shadow(): Promise<ShadowEntry[]> {
    const script = `getent shadow | awk -F: '{ k = ($2 == "") ? "empty" : (substr($2,1,1) == "!" || substr($2,1,1) == "*") ? "locked" : "hash"; print $1 ":" k }'`;
    const r = await this.node.execute(script, { sudo: true, expectedExitCode: 0 });
    return parseShadow(r.stdout);
  }

  async passwd(): Promise<PasswdEntry[]> {
    return parsePasswd((await this.runOk('passwd')).stdout);
  }
}
