import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage } from '../../src/platform/qemu/index.js';
import { freeLoopbackPort } from '../../src/platform/qemu/ports.js';
import { cliPath, repoRoot, tempDir, type CliResult } from './cli.js';
import { TEST_IMAGE_CACHE } from './qemu.js';

export interface BaremetalLab {
  dir: string;
  name: string;
  ipmiPort: number;
  sshPort: number;
  bootPort: number;
  /** lisa's TFTP port when the lab's firmware is pointed at TFTP (`labUp(prefix, {tftp: true})`), else 0. */
  tftpPort: number;
  password: string;
  /** `-v` arguments that point runbooks/baremetal.yml at this lab. */
  vars: string[];
  down(): void;
}

const script = join(repoRoot, 'scripts/baremetal-lab.sh');

/** Brings up scripts/baremetal-lab.sh on free loopback ports with the tests' guest image. */
export async function labUp(prefix = 'lisa-bmlab-', options: { tftp?: boolean } = {}): Promise<BaremetalLab> {
  const image = await buildImage({ cacheDir: TEST_IMAGE_CACHE, log: (l) => process.stderr.write(`# image: ${l}\n`) });
  const dir = join(tempDir(prefix), 'lab');
  // IPMI is UDP: a port free for TCP is almost always free for UDP too.
  const ipmiPort = await freeLoopbackPort();
  const sshPort = await freeLoopbackPort();
  const bootPort = await freeLoopbackPort();
  // UDP, like IPMI: a port free for TCP is almost always free for UDP too.
  const tftpPort = options.tftp ? await freeLoopbackPort() : 0;
  const vmPort = await freeLoopbackPort();
  const solPort = await freeLoopbackPort();
  // IPMI passwords are at most 20 bytes (16 for IPMI 1.5 users).
  const password = `bmc-${Math.random().toString(36).slice(2, 10)}`;
  const env = {
    ...process.env,
    LAB_DIR: dir,
    LAB_IPMI_PORT: String(ipmiPort),
    LAB_VM_PORT: String(vmPort),
    LAB_SOL_PORT: String(solPort),
    LAB_SSH_PORT: String(sshPort),
    // The firmware's DHCP boot file: lisa's boot script over HTTP, or over lisa's TFTP server.
    LAB_BOOT_URL: options.tftp ? `tftp://10.0.2.2:${tftpPort}` : `http://10.0.2.2:${bootPort}`,
    LAB_BMC_PASSWORD: password,
    LAB_IMAGE_DIR: image.imagePath.replace(/\/base\.qcow2$/, ''),
    LAB_NAME: 'server1',
  };
  const r = spawnSync('bash', [script, 'up'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`baremetal-lab.sh up failed:\n${r.stdout}\n${r.stderr}`);
  return {
    dir,
    name: 'server1',
    ipmiPort,
    sshPort,
    bootPort,
    tftpPort,
    password,
    vars: [
      '-v',
      `lab_dir:${dir}`,
      '-v',
      `bmc_port:${ipmiPort}`,
      '-v',
      `ssh_port:${sshPort}`,
      '-v',
      `boot_port:${bootPort}`,
      ...(options.tftp ? ['-v', `tftp_port:${tftpPort}`] : []),
      '-v',
      `s:bmc_password:${password}`,
      '-v',
      `lock_dir:${join(dir, 'leases')}`,
    ],
    down: () => void spawnSync('bash', [script, 'down'], { env, encoding: 'utf8' }),
  };
}

/** Runs the built CLI without blocking the event loop (a TCG boot takes minutes on a busy host). */
export function runCliAsync(args: string[], timeoutMs = 25 * 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** PIDs of QEMU processes of the lab machine (zombies excluded). */
export function labQemuPids(lab: BaremetalLab): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (cmd.includes('qemu-system') && cmd.includes(lab.dir) && !/\) Z /.test(stat)) out.push(Number(p));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Every file below `dir`, with its text, for secret scans. */
export function allText(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    out.push({ file, text: readFileSync(file, 'latin1') });
  }
  return out;
}
