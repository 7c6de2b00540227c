import { shellQuote } from '../../shell/quote.js';

/**
 * The root shell script run over SSH right after a node first answers. A warm clone wakes up as
 * an exact copy of the template, so it also gets a fresh clock, machine-id and host key (made on
 * the host, where it costs nothing); the private NIC gets its per-node MAC and static address,
 * persisted for reboots in a networkd file. Process starts cost 0.1-0.4 s each in a TCG guest on a
 * busy host, so the script uses shell builtins and one `ip -batch` wherever it can.
 */
export interface IdentityInput {
  hostname: string;
  warm: boolean;
  epochSeconds: number;
  /**
   * 32 hex digits made on the host. Clones restored from one snapshot share the kernel's CRNG state,
   * so a uuid read inside the guest right after the restore can be the same on every clone.
   */
  machineId: string;
  /** A fresh host key pair (OpenSSH private key text and .pub line) for warm clones. */
  hostKey?: { privateKey: string; publicKey: string };
  privateNet?: { ip: string; prefix: number; mac: string };
  /** Port of the platform's NTP server, reached from the guest as 10.0.2.2. */
  ntpPort?: number;
}

export function identityScript(i: IdentityInput): string {
  // The trace (with timestamps) goes to the node's debug log: first contact is on the deploy path.
  const lines = ['set -e', "PS4='+ $EPOCHREALTIME '", 'set -x'];
  if (i.warm) {
    lines.push(
      `date -u -s @${i.epochSeconds} >/dev/null`,
      'old=; IFS= read -r old < /etc/machine-id || true',
      `new=${i.machineId.replace(/[^0-9a-f]/g, '')}; echo "$new" > /etc/machine-id`,
      // journalctl reads only /var/log/journal/<machine-id>, while journald keeps writing under the
      // template's id: without this move every journal check of a clone would see an empty journal.
      // The link keeps journald's own path working when it rotates.
      '[ -n "$old" ] && [ -d "/var/log/journal/$old" ] && mv "/var/log/journal/$old" "/var/log/journal/$new" && ln -s "$new" "/var/log/journal/$old" || true',
    );
    if (i.hostKey) {
      // sshd re-executes itself for every connection and loads the host key then: no restart needed.
      lines.push(
        // Not in the trace: the debug log must not hold a private key.
        '{ set +x; } 2>/dev/null',
        '(umask 077; printf %s ' +
          shellQuote(i.hostKey.privateKey.trimEnd() + '\n') +
          ' > /etc/ssh/ssh_host_ed25519_key)',
        'printf "%s\\n" ' + shellQuote(i.hostKey.publicKey.trim()) + ' > /etc/ssh/ssh_host_ed25519_key.pub',
        'set -x',
      );
    }
  }
  lines.push(
    `echo ${i.hostname} > /proc/sys/kernel/hostname`,
    `echo ${i.hostname} > /etc/hostname`,
    `printf '127.0.0.1 localhost\\n127.0.1.1 ${i.hostname}\\n' > /etc/hosts`,
  );
  if (i.privateNet) {
    const { ip, prefix, mac } = i.privateNet;
    lines.push(
      `printf '[Match]\\nName=ens8\\n\\n[Link]\\nMACAddress=${mac}\\n\\n[Network]\\nAddress=${ip}/${prefix}\\nLinkLocalAddressing=no\\nIPv6AcceptRA=no\\n' > /etc/systemd/network/50-lisa-private.network`,
      // The image leaves ens8 unmanaged until the next boot reads that file; set it up now directly.
      `printf 'link set ens8 down\\nlink set ens8 address ${mac}\\naddr flush dev ens8\\naddr add ${ip}/${prefix} dev ens8\\nlink set ens8 up\\n' | ip -batch -`,
    );
  }
  if (i.ntpPort) {
    lines.push(
      // In the background: nothing on the deploy path waits for chrony.
      `[ -d /etc/chrony/sources.d ] && echo 'server 10.0.2.2 port ${i.ntpPort} iburst minpoll 4 maxpoll 6' > /etc/chrony/sources.d/lisa.sources && { chronyc reload sources >/dev/null 2>&1 & }`,
    );
  }
  lines.push('echo "$(< /etc/ssh/ssh_host_ed25519_key.pub)"');
  return lines.join('\n') + '\n';
}

/** The command that runs the script (sent on stdin) as root, through `sudo` unless logged in as root. */
export function asRootCommand(loggedInAsRoot = false): string {
  return loggedInAsRoot ? 'bash -s' : 'sudo -n bash -s';
}

/** The base64 blob of an OpenSSH public key line (what ssh2 reports as the raw host key). */
export function hostKeyFromPub(line: string): string | undefined {
  const m = /^(ssh-[a-z0-9-]+|ecdsa-[a-z0-9-]+)\s+([A-Za-z0-9+/=]+)/m.exec(line);
  return m?.[2];
}
