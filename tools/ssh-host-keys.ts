import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface HostKeyFingerprint {
  bits: number;
  /** `SHA256:...` */
  fingerprint: string;
  comment: string;
  /** ED25519, RSA, ECDSA */
  type: string;
  path: string;
}

/** Parses `ssh-keygen -lf FILE` lines, each preceded by a `#path` line the tool prints. */
export function parseSshKeygenFingerprints(text: string): HostKeyFingerprint[] {
  const keys: HostKeyFingerprint[] = [];
  let path = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      path = line.slice(1).trim();
      continue;
    }
    const m = /^(\d+)\s+(\S+)\s+(.*?)\s*\((\w+)\)\s*$/.exec(line.trim());
    if (m) keys.push({ bits: Number(m[1]), fingerprint: m[2]!, comment: m[3]!, type: m[4]!, path });
  }
  return keys;
}

/** sshd host keys present on the node, with fingerprints (the private keys are never read). */
export class SshHostKeys extends Tool {
  readonly command = 'ssh-keygen';
  override readonly packages: PackageNames = {
    default: 'openssh-client',
    redhat: 'openssh',
    suse: 'openssh',
    arch: 'openssh',
  };

  async fingerprints(): Promise<HostKeyFingerprint[]> {
    await this.ensure();
    const r = await this.node.execute(
      `for f in /etc/ssh/ssh_host_*_key.pub; do [ -f "$f" ] || continue; echo "#$f"; ssh-keygen -lf "$f"; done`,
      { noErrorLog: true },
    );
    return parseSshKeygenFingerprints(r.stdout);
  }
}
