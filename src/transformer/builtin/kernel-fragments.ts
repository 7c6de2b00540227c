/**
 * Config fragments lisa ships, named `builtin:<name>` in a kernel_builder entry.
 */

/**
 * The smallest kernel that boots lisa's builtin Debian 12 guest under the qemu platform to SSH,
 * with no initrd and no modules; meant to be merged onto `tinyconfig`. Options that tinyconfig
 * leaves off but that come back with their defaults once 64BIT/PCI/NET are on are turned off again
 * by name (each one is checked in the final .config). What it leaves out, and what that costs:
 * - ACPI (some 250 files): PCI interrupts come from SeaBIOS's MP and PIR tables and the fw_cfg
 *   device is declared on the command line built in below (QEMU's fixed x86 ports). Without it the
 *   guest ignores QMP `system_powerdown` (a graceful stop falls back to `quit` after its wait),
 *   and SeaBIOS's MP table lists one CPU per socket, so `-smp N` guests see one CPU. The image
 *   names NICs by PCI path, so they are ens3/ens8 either way. `builtin:qemu-acpi` adds it back.
 * - IPv6, SysV IPC, POSIX mqueues, swap, memory/pids/cpu cgroup controllers, autofs, RTC, input,
 *   VT, partition tables (the root is the whole /dev/vda), cpufreq, perf drivers, the
 *   8250 PCI/LPSS/MID ports, ethtool netlink, inet_diag, extra TCP congestion controls:
 *   systemd 252 and OpenSSH 9.2 start without them (systemd notes the missing BPF firewall).
 */
const QEMU_GUEST = `
CONFIG_64BIT=y
# CONFIG_IA32_EMULATION is not set
CONFIG_SMP=y
CONFIG_NR_CPUS=8
CONFIG_X86_MPPARSE=y
CONFIG_PROCESSOR_SELECT=y
# CONFIG_CPU_SUP_HYGON is not set
# CONFIG_CPU_SUP_CENTAUR is not set
# CONFIG_CPU_SUP_ZHAOXIN is not set
# CONFIG_SCHED_MC_PRIO is not set
# CONFIG_CPU_FREQ is not set
# CONFIG_PERF_EVENTS_INTEL_UNCORE is not set
# CONFIG_PERF_EVENTS_INTEL_RAPL is not set
# CONFIG_PERF_EVENTS_INTEL_CSTATE is not set
# CONFIG_X86_VSYSCALL_EMULATION is not set
# CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS is not set
CONFIG_LOCALVERSION="-lisa"
# QEMU's fw_cfg on x86 (what ACPI would declare); the boot loader's command line follows it.
CONFIG_CMDLINE_BOOL=y
CONFIG_CMDLINE="qemu_fw_cfg.ioport=12@0x510:0:1:4"
CONFIG_PRINTK=y
CONFIG_PRINTK_TIME=y
CONFIG_BUG=y
CONFIG_BASE_FULL=y
# CONFIG_SCHED_DEBUG is not set
CONFIG_MULTIUSER=y
CONFIG_FUTEX=y
CONFIG_EPOLL=y
CONFIG_SIGNALFD=y
CONFIG_TIMERFD=y
CONFIG_EVENTFD=y
CONFIG_SHMEM=y
CONFIG_AIO=y
CONFIG_ADVISE_SYSCALLS=y
CONFIG_MEMBARRIER=y
CONFIG_RSEQ=y
CONFIG_FILE_LOCKING=y
CONFIG_POSIX_TIMERS=y
CONFIG_FHANDLE=y
CONFIG_HIGH_RES_TIMERS=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
# CONFIG_SWAP is not set
CONFIG_CGROUPS=y
CONFIG_NAMESPACES=y
CONFIG_UTS_NS=y
CONFIG_PID_NS=y
CONFIG_NET_NS=y
# CONFIG_TIME_NS is not set
CONFIG_SECCOMP=y
CONFIG_SECCOMP_FILTER=y
CONFIG_DMI=y
CONFIG_DMIID=y
CONFIG_PCI=y
CONFIG_PCI_MSI=y
# CONFIG_PCIEASPM is not set
# CONFIG_VGA_ARB is not set
# CONFIG_ACPI is not set
# CONFIG_INPUT is not set
# CONFIG_SERIO is not set
# CONFIG_HID is not set
# CONFIG_VT is not set
CONFIG_TTY=y
CONFIG_UNIX98_PTYS=y
# CONFIG_LEGACY_PTYS is not set
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
# CONFIG_SERIAL_8250_PCI is not set
# CONFIG_SERIAL_8250_EXAR is not set
# CONFIG_SERIAL_8250_LPSS is not set
# CONFIG_SERIAL_8250_MID is not set
# CONFIG_SERIAL_8250_PERICOM is not set
CONFIG_FW_CFG_SYSFS=y
CONFIG_FW_CFG_SYSFS_CMDLINE=y
CONFIG_VIRTIO_MENU=y
CONFIG_VIRTIO=y
CONFIG_VIRTIO_PCI=y
# QEMU's virtio-*-pci devices are transitional: the modern interface is enough.
# CONFIG_VIRTIO_PCI_LEGACY is not set
CONFIG_HW_RANDOM=y
CONFIG_HW_RANDOM_VIRTIO=y
# CONFIG_HW_RANDOM_INTEL is not set
# CONFIG_HW_RANDOM_AMD is not set
# CONFIG_HW_RANDOM_VIA is not set
CONFIG_BLOCK=y
CONFIG_BLK_DEV=y
CONFIG_VIRTIO_BLK=y
# CONFIG_MQ_IOSCHED_DEADLINE is not set
# CONFIG_MQ_IOSCHED_KYBER is not set
CONFIG_PARTITION_ADVANCED=y
# CONFIG_MSDOS_PARTITION is not set
# CONFIG_EFI_PARTITION is not set
CONFIG_NET=y
CONFIG_PACKET=y
CONFIG_UNIX=y
CONFIG_INET=y
# CONFIG_INET_DIAG is not set
CONFIG_TCP_CONG_ADVANCED=y
# CONFIG_TCP_CONG_BIC is not set
# CONFIG_TCP_CONG_CUBIC is not set
# CONFIG_TCP_CONG_WESTWOOD is not set
# CONFIG_TCP_CONG_HTCP is not set
CONFIG_DEFAULT_RENO=y
# CONFIG_IPV6 is not set
# CONFIG_ETHTOOL_NETLINK is not set
CONFIG_NETDEVICES=y
CONFIG_NET_CORE=y
CONFIG_VIRTIO_NET=y
# CONFIG_ETHERNET is not set
# CONFIG_WLAN is not set
CONFIG_PROC_FS=y
CONFIG_PROC_SYSCTL=y
CONFIG_SYSFS=y
CONFIG_TMPFS=y
CONFIG_DEVTMPFS=y
CONFIG_DEVTMPFS_MOUNT=y
CONFIG_INOTIFY_USER=y
CONFIG_EXT4_FS=y
CONFIG_EXT4_FS_POSIX_ACL=y
`;

/**
 * On top of `builtin:qemu-guest`: ACPI, so that the guest sees every vCPU (from the MADT) and
 * powers off on QMP `system_powerdown` (the power button reaches logind through evdev: a clean
 * stop and reboot in seconds instead of the platform's 60 s wait and `quit`). ACPI declares fw_cfg
 * itself: a second device from the command line would fail its probe with EBUSY in dmesg.
 */
const QEMU_ACPI = `
CONFIG_ACPI=y
CONFIG_CMDLINE=""
CONFIG_INPUT=y
# CONFIG_INPUT_KEYBOARD is not set
# CONFIG_INPUT_MOUSE is not set
CONFIG_ACPI_BUTTON=y
CONFIG_INPUT_EVDEV=y
`;

export const BUILTIN_FRAGMENTS: Readonly<Record<string, string>> = {
  'qemu-guest': QEMU_GUEST,
  'qemu-acpi': QEMU_ACPI,
};
