import { statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import { defaultCacheDir } from './image/spec.js';
import { hasCommand, runCommand } from '../../process/run-command.js';
import { chooseAccel, readAccelFacts } from './accel.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

const TOOLS: { cmd: string; pkg: string; why: string; required: boolean }[] = [
  { cmd: 'qemu-system-x86_64', pkg: 'qemu-system-x86', why: 'runs the guests', required: true },
  { cmd: 'qemu-img', pkg: 'qemu-utils', why: 'makes copy-on-write overlays', required: true },
  { cmd: 'ssh-keygen', pkg: 'openssh-client', why: 'makes the per-run SSH key', required: true },
  { cmd: 'debootstrap', pkg: 'debootstrap', why: 'builds the builtin Debian image', required: true },
  { cmd: 'mkfs.ext4', pkg: 'e2fsprogs', why: 'makes the image filesystem without a loop device', required: true },
  { cmd: 'genisoimage', pkg: 'genisoimage', why: 'cloud-init seeds for existing cloud images', required: false },
  { cmd: 'sbsign', pkg: 'sbsigntool', why: 'signs the UKI of profile secure_boot', required: false },
  { cmd: 'objcopy', pkg: 'binutils', why: 'builds the UKI of profile secure_boot', required: false },
  { cmd: 'mcopy', pkg: 'mtools', why: 'writes the ESP of profile secure_boot', required: false },
  { cmd: 'mkfs.vfat', pkg: 'dosfstools', why: 'formats the ESP of profile secure_boot', required: false },
  { cmd: 'swtpm', pkg: 'swtpm', why: 'the TPM 2.0 of profile secure_boot', required: false },
];

function free(path: string): number | undefined {
  for (let p = path; p; p = p.slice(0, p.lastIndexOf('/'))) {
    try {
      const s = statfsSync(p);
      return (s.bavail * s.bsize) / 2 ** 30;
    } catch {
      /* not created yet: try the parent */
    }
  }
  return undefined;
}

/** What `lisa doctor` prints: host tools, accelerator, disk and memory, each with a fix. */
export async function doctor(options: { cacheDir?: string } = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  for (const t of TOOLS) {
    const ok = await hasCommand(t.cmd);
    let detail = ok ? `found (${t.why})` : `missing (${t.why})`;
    if (ok && t.cmd === 'qemu-system-x86_64') {
      detail = (await runCommand(t.cmd, ['--version']).catch(() => ({ stdout: 'version unknown' }))).stdout.split(
        '\n',
      )[0]!;
    }
    checks.push({ name: t.cmd, ok: ok || !t.required, detail, fix: ok ? undefined : `apt-get install ${t.pkg}` });
  }
  const accel = chooseAccel(readAccelFacts(), 'auto');
  checks.push({
    name: 'accelerator',
    ok: true,
    detail:
      accel.accel === 'kvm'
        ? `KVM (${accel.reason})`
        : `TCG software emulation, guests boot in ~25-45 s (${accel.reason})`,
    fix: accel.accel === 'kvm' ? undefined : 'for KVM: enable VT-x/AMD-V and load kvm_intel or kvm_amd',
  });
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const gib = free(cacheDir);
  checks.push({
    name: 'disk space',
    ok: gib === undefined || gib >= 3,
    detail:
      gib === undefined
        ? `cannot stat ${cacheDir}`
        : `${gib.toFixed(1)} GiB free for ${cacheDir} (image ~0.4 GiB, snapshots ~0.2 GiB each)`,
    fix: 'free at least 3 GiB or set qemu.cache_dir / LISA_IMAGE_CACHE to a larger disk',
  });
  const mem = freemem() / 2 ** 30;
  checks.push({
    name: 'memory',
    ok: mem >= 1.5,
    detail: `${mem.toFixed(1)} GiB free (each guest needs about 0.5 GiB under TCG)`,
    fix: 'close other programs or lower qemu.memory_mb',
  });
  return { ok: checks.every((c) => c.ok), checks };
}
