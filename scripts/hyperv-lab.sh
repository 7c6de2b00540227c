#!/usr/bin/env bash
# The loopback Hyper-V stand-in (test/helpers/hyperv/host.ts) as a standalone lab: an SSH server
# that carries out the PowerShell cmdlets of the hyperv platform on QEMU guests of the project's
# image. See docs/platform-hyperv.md.
#
#   scripts/hyperv-lab.sh up     # builds lisa and the guest image if needed, starts the host
#   lisa run runbooks/hyperv.yml $(cat /tmp/lisa-hyperv-lab/lisa-args)
#   scripts/hyperv-lab.sh down   # stops the host and its VMs, removes the lab
#
# Settings (environment): HYPERV_LAB_DIR (/tmp/lisa-hyperv-lab), LISA_IMAGE_CACHE.
set -euo pipefail
cmd=${1:-}
LAB=${HYPERV_LAB_DIR:-/tmp/lisa-hyperv-lab}
here=$(cd "$(dirname "$0")" && pwd)

up() {
  if [ -f "$LAB/host.pid" ] && kill -0 "$(cat "$LAB/host.pid")" 2>/dev/null; then
    echo "lab already up in $LAB" >&2; exit 1
  fi
  [ -f "$here/../dist/test/helpers/hyperv/main.js" ] || (cd "$here/.." && npm run build >/dev/null)
  mkdir -p "$LAB"
  rm -f "$LAB/lisa-args"
  HYPERV_LAB_DIR="$LAB" nohup node "$here/../dist/test/helpers/hyperv/main.js" >"$LAB/host.log" 2>&1 &
  echo $! >"$LAB/host.pid"
  # The first start builds the guest image (a minute or two).
  for _ in $(seq 1 600); do
    [ -s "$LAB/lisa-args" ] && { grep -v '^#' "$LAB/host.log" | head -n 2; return 0; }
    kill -0 "$(cat "$LAB/host.pid")" 2>/dev/null || { tail -n 20 "$LAB/host.log" >&2; exit 1; }
    sleep 1
  done
  echo "the host did not come up in 600 s; see $LAB/host.log" >&2; exit 1
}

down() {
  if [ -f "$LAB/host.pid" ]; then
    pid=$(cat "$LAB/host.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$LAB"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
