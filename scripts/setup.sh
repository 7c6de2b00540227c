#!/usr/bin/env bash
# Installs what lisa needs on a fresh Debian machine (run as root or with sudo), then builds lisa.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="openssh-server openssh-client sudo qemu-system-x86 qemu-utils debootstrap genisoimage zstd iperf3 fio iputils-ping ethtool stress-ng ipmitool ovmf swtpm sbsigntool systemd-boot-efi mtools dosfstools binutils"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
npm ci --no-audit --no-fund
npm run build
