#!/bin/sh
# ipmi_sim's chassis_control program for one emulated server (see scripts/baremetal-lab.sh):
#   chassis-control.sh LAB_DIR <mc> get power|boot ...   prints "power:1", "boot:pxe", ...
#   chassis-control.sh LAB_DIR <mc> set power 0|1 | reset 1 | boot pxe|default|none ...
# Power on starts the QEMU machine (start-machine.sh); power off stops it and waits until it is gone.
LAB=$1; shift 2
op=$1; shift
pidfile=$LAB/qemu.pid
alive() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
stop() {
  alive || return 0
  pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null
  i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  kill -9 "$pid" 2>/dev/null; rm -f "$pidfile"
}
start() { alive || "$LAB/start-machine.sh" >>"$LAB/machine.log" 2>&1; }
echo "$(date +%T) $op $*" >>"$LAB/chassis.log"
if [ "$op" = get ]; then
  for p in "$@"; do
    case $p in
      power) if alive; then echo power:1; else echo power:0; fi ;;
      boot) echo "boot:$(cat "$LAB/next-boot" 2>/dev/null || echo default)" ;;
    esac
  done
  exit 0
fi
while [ $# -ge 2 ]; do
  case $1 in
    power) if [ "$2" = 1 ]; then start; else stop; fi ;;
    reset) stop; start ;;
    boot) echo "$2" >"$LAB/next-boot" ;;
    shutdown) stop ;;
  esac
  shift 2
done
