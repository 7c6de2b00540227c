#!/bin/sh
# Powers on the emulated server: the firmware network-boots (iPXE, from lisa's HTTP or TFTP server) when the
# BMC was told `bootdev pxe`, otherwise it starts "what is installed" (the lab's kernel, standing in
# for the bootloader on the disk). The next-boot choice is consumed, like a real BMC's.
. "$(dirname "$0")/lab.env"
next=$(cat "$LAB/next-boot" 2>/dev/null || echo default)
echo default >"$LAB/next-boot"
if [ "$next" = pxe ]; then
  set -- -boot n
else
  set -- -kernel "$LAB/boot/vmlinuz" -initrd "$LAB/boot/initrd.img" -append "root=/dev/vda rw console=ttyS0,115200 no_timer_check"
fi
exec qemu-system-x86_64 -accel tcg,thread=multi,tb-size=128 -cpu max -machine pc -m "$LAB_MEMORY_MB" -smp "$LAB_CORES" \
  -name "lisa-lab-$LAB_NAME" -display none -nodefaults -no-user-config \
  -chardev socket,id=ipmi0,host=127.0.0.1,port="$LAB_VM_PORT",reconnect=10 \
  -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-kcs,bmc=bmc0 \
  -chardev socket,id=ser0,host=127.0.0.1,port="$LAB_SOL_PORT",server=on,wait=off,telnet=on -serial chardev:ser0 \
  -blockdev driver=qcow2,node-name=root,file.driver=file,file.filename="$LAB/disk.qcow2" -device virtio-blk-pci,drive=root \
  -netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$LAB_SSH_PORT"-:22,bootfile="$LAB_BOOT_URL/$LAB_NAME/boot.ipxe" \
  -device virtio-net-pci,netdev=n0 \
  -fw_cfg name=opt/lisa/authorized_keys,file="$LAB/keys/id_ed25519.pub" \
  -device virtio-rng-pci "$@" -daemonize -pidfile "$LAB/qemu.pid"
