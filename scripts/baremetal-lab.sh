#!/usr/bin/env bash
# An emulated bare-metal server on this machine: OpenIPMI's ipmi_sim BMC (IPMI over LAN, SOL,
# chassis control) in front of a QEMU machine with an in-band BMC (ipmi-bmc-extern), which
# network-boots from the HTTP server lisa runs. See docs/platform-baremetal.md.
#
#   scripts/baremetal-lab.sh up    # installs what it needs, builds the guest image, starts the BMC
#   scripts/baremetal-lab.sh down  # powers the server off, stops the BMC, removes the lab
#
# Settings (environment): LAB_DIR (/tmp/lisa-baremetal-lab), LAB_NAME (server1), LAB_IPMI_PORT
# (9623), LAB_SSH_PORT (2299), LAB_BOOT_URL (http://10.0.2.2:8642, the guest's view of lisa's boot
# server on 127.0.0.1:8642; tftp://10.0.2.2:6969 for its TFTP server), LAB_BMC_USER (lisa), LAB_BMC_PASSWORD (lab-secret), LAB_CORES (2),
# LAB_MEMORY_MB (1024), LAB_IMAGE_DIR (a built image: base.qcow2, vmlinuz, initrd.img; default
# `lisa image build`).
set -euo pipefail
cmd=${1:-}
LAB=${LAB_DIR:-/tmp/lisa-baremetal-lab}
here=$(cd "$(dirname "$0")" && pwd)

need() {
  local missing=()
  for pair in ipmi_sim:openipmi ipmitool:ipmitool qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils ssh-keygen:openssh-client; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ -e /usr/lib/ipxe/qemu/efi-virtio.rom ] || missing+=(ipxe-qemu)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

up() {
  need
  if [ -f "$LAB/ipmi_sim.pid" ] && kill -0 "$(cat "$LAB/ipmi_sim.pid")" 2>/dev/null; then
    echo "lab already up in $LAB" >&2; exit 1
  fi
  local image=${LAB_IMAGE_DIR:-}
  if [ -z "$image" ]; then
    local built
    built=$(node "$here/../dist/src/cli/main.js" image build | sed -n 's/.*image \(.*\)\/base.qcow2 in.*/\1/p')
    image=$built
  fi
  [ -f "$image/base.qcow2" ] || { echo "no image in '$image'" >&2; exit 1; }
  mkdir -p "$LAB/boot" "$LAB/keys" "$LAB/state"
  local ipmi=${LAB_IPMI_PORT:-9623}
  cat >"$LAB/lab.env" <<ENV
LAB=$LAB
LAB_NAME=${LAB_NAME:-server1}
LAB_IPMI_PORT=$ipmi
LAB_VM_PORT=${LAB_VM_PORT:-$((ipmi + 1))}
LAB_SOL_PORT=${LAB_SOL_PORT:-$((ipmi + 2))}
LAB_SSH_PORT=${LAB_SSH_PORT:-2299}
LAB_BOOT_URL=${LAB_BOOT_URL:-http://10.0.2.2:8642}
LAB_CORES=${LAB_CORES:-2}
LAB_MEMORY_MB=${LAB_MEMORY_MB:-1024}
ENV
  # shellcheck disable=SC1091
  . "$LAB/lab.env"
  cp "$here/lab/start-machine.sh" "$here/lab/chassis-control.sh" "$LAB/"
  # The server's "installed" disk and the boot files lisa will serve.
  qemu-img create -q -f qcow2 -b "$image/base.qcow2" -F qcow2 "$LAB/disk.qcow2"
  cp "$image/vmlinuz" "$image/initrd.img" "$LAB/boot/"
  [ -f "$LAB/keys/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C lisa-lab -f "$LAB/keys/id_ed25519"
  local user=${LAB_BMC_USER:-lisa} password=${LAB_BMC_PASSWORD:-lab-secret}
  cat >"$LAB/lan.conf" <<CONF
name "$LAB_NAME"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $LAB_IPMI_PORT
    priv_limit admin
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "$LAB/chassis-control.sh $LAB 0x20"
  serial 15 127.0.0.1 $LAB_VM_PORT codec VM
  sol "telnet:127.0.0.1:$LAB_SOL_PORT" 115200
  user 2 true "$user" "$password" admin 10 none md2 md5 straight
CONF
  chmod 600 "$LAB/lan.conf"
  cat >"$LAB/emu.cmd" <<'EMU'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
EMU
  echo default >"$LAB/next-boot"
  ipmi_sim -c "$LAB/lan.conf" -f "$LAB/emu.cmd" -n -s "$LAB/state" >"$LAB/ipmi_sim.log" 2>&1 &
  echo $! >"$LAB/ipmi_sim.pid"
  for _ in $(seq 100); do
    ipmitool -I lanplus -C 3 -N 1 -R 1 -H 127.0.0.1 -p "$LAB_IPMI_PORT" -U "$user" -P "$password" \
      chassis power status >/dev/null 2>&1 && { echo "lab up in $LAB: BMC 127.0.0.1:$LAB_IPMI_PORT, SSH 127.0.0.1:$LAB_SSH_PORT"; return 0; }
    sleep 0.2
  done
  echo "ipmi_sim did not answer on 127.0.0.1:$LAB_IPMI_PORT:" >&2
  cat "$LAB/ipmi_sim.log" >&2
  down; exit 1
}

down() {
  [ -d "$LAB" ] || return 0
  [ -x "$LAB/chassis-control.sh" ] && "$LAB/chassis-control.sh" "$LAB" 0x20 set power 0 || true
  if [ -f "$LAB/ipmi_sim.pid" ]; then
    kill "$(cat "$LAB/ipmi_sim.pid")" 2>/dev/null || true
  fi
  rm -rf "$LAB"
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
