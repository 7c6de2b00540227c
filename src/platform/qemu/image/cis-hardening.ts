/**
 * CIS Level 1 hardening of the built-in Debian guest (qemu `profile: cis`), run on the host after
 * the configure script with the rootfs as $1. It makes the guest a compliant reference image, so
 * the `cis` suite is green on it and every failure on a user's image is a real gap. The harness
 * itself logs in as the admin user with sudo (PermitRootLogin no).
 */
export const CIS_PACKAGES: readonly string[] = ['auditd', 'libpam-pwquality', 'cron'];

/** Extra kernel arguments the profile boots with (CIS 6.2.1.3, 6.2.1.4). */
export const CIS_APPEND = 'audit=1 audit_backlog_limit=8192';

export function cisHardeningScript(username: string): string {
  return `#!/bin/bash
set -euo pipefail
R="$1"
U=${JSON.stringify(username)}

# 1.1.2.1, 1.1.2.2: /tmp and /dev/shm as their own tmpfs with nodev,nosuid,noexec.
printf 'tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime,size=256M,mode=1777 0 0\\n' >> "$R/etc/fstab"
printf 'tmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime 0 0\\n' >> "$R/etc/fstab"

# 1.1.1.x: filesystem modules nobody needs here.
for m in cramfs freevxfs hfs hfsplus jffs2 usb-storage; do
  printf 'install %s /bin/false\\nblacklist %s\\n' "$m" "$m"
done > "$R/etc/modprobe.d/60-cis.conf"

# 1.5.x and 3.3.x kernel parameters.
cat > "$R/etc/sysctl.d/60-cis.conf" <<'SYSCTL'
kernel.randomize_va_space = 2
kernel.yama.ptrace_scope = 1
kernel.dmesg_restrict = 1
fs.suid_dumpable = 0
net.ipv4.ip_forward = 0
net.ipv6.conf.all.forwarding = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
net.ipv4.icmp_ignore_bogus_error_responses = 1
net.ipv4.icmp_echo_ignore_broadcasts = 1
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv6.conf.all.accept_redirects = 0
net.ipv6.conf.default.accept_redirects = 0
net.ipv4.conf.all.secure_redirects = 0
net.ipv4.conf.default.secure_redirects = 0
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.default.rp_filter = 1
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.default.accept_source_route = 0
net.ipv6.conf.all.accept_source_route = 0
net.ipv6.conf.default.accept_source_route = 0
net.ipv4.conf.all.log_martians = 1
net.ipv4.conf.default.log_martians = 1
net.ipv4.tcp_syncookies = 1
net.ipv6.conf.all.accept_ra = 0
net.ipv6.conf.default.accept_ra = 0
SYSCTL
printf '* hard core 0\\n' > "$R/etc/security/limits.d/60-cis.conf"

# 6.1.2.x: journald alone, persistent and compressed.
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\\nStorage=persistent\\nCompress=yes\\nForwardToSyslog=no\\n' > "$R/etc/systemd/journald.conf.d/60-cis.conf"
chroot "$R" systemctl enable auditd.service >/dev/null 2>&1 || true

# 5.1.x: sshd reads the first value it finds, and this drop-in sorts before lisa.conf.
cat > "$R/etc/ssh/sshd_config.d/00-cis.conf" <<SSHD
AllowGroups sudo
Banner /etc/issue.net
Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256
KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256
ClientAliveInterval 60
ClientAliveCountMax 3
DisableForwarding yes
X11Forwarding no
AllowTcpForwarding no
GSSAPIAuthentication no
HostbasedAuthentication no
IgnoreRhosts yes
LoginGraceTime 60
LogLevel VERBOSE
MaxAuthTries 4
MaxSessions 10
MaxStartups 10:30:60
PermitEmptyPasswords no
PermitRootLogin no
PermitUserEnvironment no
UsePAM yes
SSHD
chmod 600 "$R/etc/ssh/sshd_config" "$R"/etc/ssh/sshd_config.d/*.conf

# 5.2.x: sudo with a pty and a log; su only for the (empty) sugroup.
printf 'Defaults use_pty\\nDefaults logfile="/var/log/sudo.log"\\n' > "$R/etc/sudoers.d/60-cis"
chmod 440 "$R/etc/sudoers.d/60-cis"
chroot "$R" groupadd -f sugroup
sed -i 's/^#\\? *auth \\+required \\+pam_wheel.so.*/auth       required   pam_wheel.so use_uid group=sugroup/' "$R/etc/pam.d/su"
grep -q '^auth *required *pam_wheel.so' "$R/etc/pam.d/su" || echo 'auth       required   pam_wheel.so use_uid group=sugroup' >> "$R/etc/pam.d/su"

# 5.3.x: faillock, pwquality (enabled by its package), pwhistory; no nullok.
P="$R/etc/pam.d"
sed -i 's/ nullok//' "$P/common-auth" "$P/common-password"
# pam_unix jumps over authfail and pam_deny on success, so its success=1 becomes success=2.
sed -i -e '/^auth.*pam_unix.so/i auth\\trequired\\t\\t\\tpam_faillock.so preauth' \\
  -e '/^auth.*pam_unix.so/s/success=1/success=2/' \\
  -e '/^auth.*pam_unix.so/a auth\\t[default=die]\\t\\t\\tpam_faillock.so authfail' "$P/common-auth"
grep -q pam_faillock.so "$P/common-account" || echo -e 'account\\trequired\\t\\t\\tpam_faillock.so' >> "$P/common-account"
grep -q pam_pwhistory.so "$P/common-password" || sed -i '/^password.*pam_unix.so/i password\\trequisite\\t\\t\\tpam_pwhistory.so remember=24 enforce_for_root try_first_pass use_authtok' "$P/common-password"
printf 'deny = 5\\nunlock_time = 900\\n' > "$R/etc/security/faillock.conf"
mkdir -p "$R/etc/security/pwquality.conf.d"
printf 'minlen = 14\\ndictcheck = 1\\nenforce_for_root\\n' > "$R/etc/security/pwquality.conf.d/60-cis.conf"

# 5.4.x: password ageing, inactivity lock, shell timeout.
sed -i -e 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\\t365/' -e 's/^PASS_MIN_DAYS.*/PASS_MIN_DAYS\\t1/' -e 's/^PASS_WARN_AGE.*/PASS_WARN_AGE\\t7/' "$R/etc/login.defs"
grep -q '^ENCRYPT_METHOD' "$R/etc/login.defs" && sed -i 's/^ENCRYPT_METHOD.*/ENCRYPT_METHOD YESCRYPT/' "$R/etc/login.defs" || echo 'ENCRYPT_METHOD YESCRYPT' >> "$R/etc/login.defs"
chroot "$R" useradd -D -f 45
printf 'TMOUT=900\\nreadonly TMOUT\\nexport TMOUT\\n' > "$R/etc/profile.d/60-cis-tmout.sh"

# 2.4.1.x: cron files for root only, cron restricted to cron.allow.
chmod 600 "$R/etc/crontab"
chmod 700 "$R"/etc/cron.hourly "$R"/etc/cron.daily "$R"/etc/cron.weekly "$R"/etc/cron.monthly "$R"/etc/cron.d
rm -f "$R/etc/cron.deny"; : > "$R/etc/cron.allow"; chmod 640 "$R/etc/cron.allow"

# 7.2.9, 6.1.4.1: private home directory, log files not world-readable.
chmod 750 "$R/home/$U"
find "$R/var/log" -type f -exec chmod g-wx,o-rwx {} +
`;
}
