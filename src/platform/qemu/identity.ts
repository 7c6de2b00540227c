/**
 * The root shell script run over SSH right after a node first answers. A warm clone wakes up as
 * an exact copy of the template, so it also gets a fresh clock, machine-id and host key; the
 * private NIC gets its per-node MAC and static address (persisted for reboots in a networkd file).
 */
export interface IdentityInput {
  hostname: string;
  warm: boolean;
  epochSeconds: number;
  privateNet?: { ip: string; prefix: number; mac: string };
}

export function identityScript(i: IdentityInput): string {
  const lines = ['set -e'];
  if (i.warm) {
    lines.push(
      `date -u -s @${i.epochSeconds} >/dev/null`,
      'rm -f /etc/machine-id && systemd-machine-id-setup >/dev/null 2>&1 || true',
      'rm -f /etc/ssh/ssh_host_* && ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key',
      // Debian's ssh.service uses KillMode=process: the session running this script survives.
      'systemctl restart ssh',
    );
  }
  lines.push(
    `hostname ${i.hostname}`,
    `echo ${i.hostname} > /etc/hostname`,
    `sed -i 's/^127\\.0\\.1\\.1 .*/127.0.1.1 ${i.hostname}/' /etc/hosts`,
  );
  if (i.privateNet) {
    const { ip, prefix, mac } = i.privateNet;
    lines.push(
      `printf '[Match]\\nName=ens8\\n\\n[Link]\\nMACAddress=${mac}\\n\\n[Network]\\nAddress=${ip}/${prefix}\\nLinkLocalAddressing=no\\nIPv6AcceptRA=no\\n' > /etc/systemd/network/50-lisa-private.network`,
      'networkctl reload',
      'networkctl reconfigure ens8 || true',
      `for i in $(seq 100); do ip -br addr show ens8 2>/dev/null | grep -q '${ip}/' && break; sleep 0.1; done`,
    );
  }
  lines.push('cat /etc/ssh/ssh_host_ed25519_key.pub');
  return lines.join('\n') + '\n';
}

/** Runs a script as root through `sudo` without quoting trouble: the script travels as base64. */
export function asRootCommand(script: string): string {
  return `echo ${Buffer.from(script).toString('base64')} | base64 -d | sudo -n bash`;
}

/** The base64 blob of an OpenSSH public key line (what ssh2 reports as the raw host key). */
export function hostKeyFromPub(line: string): string | undefined {
  const m = /^(ssh-[a-z0-9-]+|ecdsa-[a-z0-9-]+)\s+([A-Za-z0-9+/=]+)/m.exec(line);
  return m?.[2];
}
