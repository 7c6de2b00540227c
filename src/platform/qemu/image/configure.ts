/**
 * The shell script that turns a debootstrapped tree into a bootable test guest. It runs on the
 * host with the rootfs as $1 and uses chroot only for commands that must see the guest's files.
 *
 * No SSH key is baked in: sshd asks /usr/libexec/lisa-authorized-keys, which reads the key the
 * harness hands to each VM through QEMU's fw_cfg (opt/lisa/authorized_keys). fw_cfg is read on
 * every login, so a guest restored from a warm snapshot accepts the key of the run that restored it.
 */
export function configureScript(username: string): string {
  return `#!/bin/bash
set -euo pipefail
R="$1"
U=${JSON.stringify(username)}
echo lisa-guest > "$R/etc/hostname"
printf '127.0.0.1 localhost\\n127.0.1.1 lisa-guest\\n' > "$R/etc/hosts"
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\\n' > "$R/etc/fstab"
printf 'nameserver 10.0.2.3\\n' > "$R/etc/resolv.conf"

# DHCP on the user-mode NIC. The name must sort after the 90-<nic>.network files that
# systemd-network-generator writes for ip= arguments, or the wildcard silently wins.
mkdir -p "$R/etc/systemd/network"
printf '[Match]\\nName=en* eth*\\n\\n[Network]\\nDHCP=ipv4\\n' > "$R/etc/systemd/network/99-dhcp.network"
# The private NIC sits in PCI slot 8 (ens8); the harness writes its static address at deploy time.
printf '[Match]\\nName=ens8\\n\\n[Link]\\nUnmanaged=yes\\n' > "$R/etc/systemd/network/50-lisa-private.network"
# The NICs are named after their fixed PCI slots (args.ts SLOT) by path, not by udev's slot policy:
# that one needs the slot numbers from ACPI, and a kernel without ACPI (kernel_builder's
# builtin:qemu-guest) would name them enp0s3/enp0s8. A kernel with ACPI gets the same names.
printf '[Match]\\nPath=pci-0000:00:03.0\\n\\n[Link]\\nName=ens3\\n' > "$R/etc/systemd/network/10-lisa-ens3.link"
printf '[Match]\\nPath=pci-0000:00:08.0\\n\\n[Link]\\nName=ens8\\n' > "$R/etc/systemd/network/10-lisa-ens8.link"
chroot "$R" systemctl enable systemd-networkd.service systemd-network-generator.service
chroot "$R" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \\
  fstrim.timer e2scrub_reap.service getty@tty1.service systemd-networkd-wait-online.service

chroot "$R" useradd -m -s /bin/bash -G sudo "$U"
echo "$U ALL=(ALL) NOPASSWD:ALL" > "$R/etc/sudoers.d/lisa"; chmod 440 "$R/etc/sudoers.d/lisa"
chroot "$R" passwd -l root >/dev/null

echo qemu_fw_cfg > "$R/etc/modules-load.d/lisa.conf"
mkdir -p "$R/usr/libexec"
cat > "$R/usr/libexec/lisa-authorized-keys" <<'KEYS'
#!/bin/sh
f=/sys/firmware/qemu_fw_cfg/by_name/opt/lisa/authorized_keys/raw
[ -r "$f" ] || modprobe -q qemu_fw_cfg 2>/dev/null
[ -r "$f" ] && cat "$f"
exit 0
KEYS
chmod 755 "$R/usr/libexec/lisa-authorized-keys"
mkdir -p "$R/etc/ssh/sshd_config.d"
cat > "$R/etc/ssh/sshd_config.d/lisa.conf" <<'SSHD'
HostKey /etc/ssh/ssh_host_ed25519_key
AuthorizedKeysCommand /usr/libexec/lisa-authorized-keys %u
AuthorizedKeysCommandUser root
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
PermitEmptyPasswords no
UseDNS no
SSHD

# Host keys are made on first boot, so no two guests (and no published image) share them.
rm -f "$R"/etc/ssh/ssh_host_*
cat > "$R/etc/systemd/system/lisa-hostkeys.service" <<'UNIT'
[Unit]
Description=Generate SSH host key on first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
[Install]
WantedBy=multi-user.target
UNIT
chroot "$R" systemctl enable lisa-hostkeys.service

# No internet time here: the harness writes /etc/chrony/sources.d/lisa.sources at deploy time.
if [ -f "$R/etc/chrony/chrony.conf" ]; then
  sed -i -e '/^pool /d' -e '/^server /d' -e 's/^makestep .*/makestep 1 -1/' "$R/etc/chrony/chrony.conf"
  grep -q '^makestep' "$R/etc/chrony/chrony.conf" || echo 'makestep 1 -1' >> "$R/etc/chrony/chrony.conf"
fi

: > "$R/etc/machine-id"; rm -f "$R/var/lib/dbus/machine-id"
sed -i 's/^MODULES=.*/MODULES=list/' "$R/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\\nvirtio_blk\\nvirtio_net\\next4\\n' >> "$R/etc/initramfs-tools/modules"
chroot "$R" update-initramfs -u -k all >/dev/null
chroot "$R" apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/root/.bash_history "$R"/var/log/*.log
`;
}
