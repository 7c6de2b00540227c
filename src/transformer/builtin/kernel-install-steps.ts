/**
 * The steps of installing a kernel on one node; each failure names its step, so that "the package
 * does not exist" and "the node did not come back" are never the same error.
 */
import { basename } from 'node:path';
import { packageManagerFor } from '../../os/package-manager.js';
import type { Node } from '../../node/types.js';
import type { Environment, Feature } from '../../platform/types.js';
import { shellQuote } from '../../shell/quote.js';
import { TransformerStepError, type TransformerContext } from '../types.js';

/** A boot entry the platform holds (direct-boot qemu guests); see the qemu platform's KernelBoot. */
interface KernelBootFeature extends Feature {
  setDefault(release: string, node?: number): Promise<void>;
  reboot(node?: number): Promise<void>;
}

interface SerialFeature extends Feature {
  read(nodeIndex?: number): string;
  mark(): number[];
  scan(since: number | number[]): { panics: string[] };
}

// A kernel's dpkg/update-initramfs under TCG on a busy host took over 15 minutes: allow an hour.
const run = async (node: Node, step: string, command: string, timeoutMs = 3_600_000): Promise<string> => {
  const r = await node.execute(command, { sudo: true, timeoutMs, noErrorLog: true });
  if (r.exitCode !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
    throw new TransformerStepError(
      step,
      `\`${command}\` ${r.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with ${r.exitCode}`} on ${node.name}${tail ? `:\n${tail}` : ''}`,
    );
  }
  return r.stdout;
};

export async function kernelsInBoot(node: Node): Promise<string[]> {
  const out = await run(node, 'list kernels', 'ls -1 /boot 2>/dev/null | sed -n "s/^vmlinuz-//p"', 60_000);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Uploads package files and installs them, or installs packages from the distribution's repository. */
export async function installKernel(
  node: Node,
  source: { packages?: string[]; files?: string[] },
  ctx: TransformerContext,
): Promise<void> {
  if (source.files?.length) {
    const remote: string[] = [];
    await run(node, 'upload', 'mkdir -p /tmp/lisa-kernel && chmod 777 /tmp/lisa-kernel', 60_000);
    for (const file of source.files) {
      const to = `/tmp/lisa-kernel/${basename(file)}`;
      ctx.log.info(`${node.name}: uploading ${file}`);
      try {
        await node.upload(file, to);
      } catch (e) {
        throw new TransformerStepError('upload', `${file} to ${node.name}: ${(e as Error).message}`);
      }
      remote.push(to);
    }
    const debs = remote.filter((f) => f.endsWith('.deb'));
    const rpms = remote.filter((f) => f.endsWith('.rpm'));
    if (debs.length) {
      // dpkg needs no package index, so an offline node installs a .deb whose dependencies it has.
      await run(node, 'not installed', `env DEBIAN_FRONTEND=noninteractive dpkg -i ${debs.map(shellQuote).join(' ')}`);
    }
    if (rpms.length) await run(node, 'not installed', `rpm -Uvh --force ${rpms.map(shellQuote).join(' ')}`);
    return;
  }
  const pm = await packageManagerFor(node);
  // Images often ship without a package index (the builtin guest drops apt's lists): fetch it first.
  ctx.log.info(`${node.name}: ${pm.name}: refreshing the package index`);
  try {
    await pm.refresh();
  } catch (e) {
    throw new TransformerStepError(
      'package index',
      `${pm.name} could not refresh the package index on ${node.name} (can it reach its mirror?): ${(e as Error).message}`,
    );
  }
  ctx.log.info(`${node.name}: ${pm.name} install ${source.packages!.join(' ')}`);
  try {
    await pm.install(source.packages!);
  } catch (e) {
    // The package manager's message names the manager, the packages, the node and its output.
    throw new TransformerStepError('not installed', (e as Error).message);
  }
}

/** Makes `release` the entry the node boots by default. */
export async function setDefaultEntry(
  node: Node,
  index: number,
  release: string,
  env: Environment | undefined,
): Promise<string> {
  const boot = env?.feature<KernelBootFeature>('KernelBoot');
  if (boot) {
    try {
      await boot.setDefault(release, index);
    } catch (e) {
      throw new TransformerStepError(
        'not the default entry',
        `${env!.platform} could not boot ${release} on ${node.name}: ${(e as Error).message}`,
      );
    }
    return `${env!.platform} direct boot of /boot/vmlinuz-${release}`;
  }
  const has = async (cmd: string) =>
    (await node.execute(`command -v ${cmd}`, { noErrorLog: true, timeoutMs: 30_000 })).exitCode === 0;
  if (await has('grubby')) {
    await run(node, 'not the default entry', `grubby --set-default /boot/vmlinuz-${release}`);
    const now = (await run(node, 'not the default entry', 'grubby --default-kernel')).trim();
    if (now !== `/boot/vmlinuz-${release}`)
      throw new TransformerStepError('not the default entry', `grubby reports ${now} on ${node.name}`);
    return 'grubby';
  }
  if (await has('update-grub')) {
    await run(
      node,
      'not the default entry',
      `sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub`,
    );
    const cfg = await run(node, 'not the default entry', 'cat /boot/grub/grub.cfg');
    const sub = /submenu [^{]*\$menuentry_id_option '([^']+)'/.exec(cfg)?.[1];
    const entry = new RegExp(
      `menuentry_id_option '(gnulinux-${release.replace(/[.+]/g, '\\$&')}-advanced-[^']+)'`,
    ).exec(cfg)?.[1];
    if (!entry)
      throw new TransformerStepError(
        'not the default entry',
        `no GRUB entry for ${release} in /boot/grub/grub.cfg on ${node.name}`,
      );
    await run(node, 'not the default entry', `grub-set-default ${shellQuote(sub ? `${sub}>${entry}` : entry)}`);
    return 'grub-set-default';
  }
  throw new TransformerStepError(
    'not the default entry',
    `${node.name} has neither a platform boot entry, grubby nor update-grub`,
  );
}

/** Reboots and waits; a node that does not come back is reported with its console and any panic. */
export async function rebootNode(
  node: Node,
  index: number,
  env: Environment | undefined,
  timeoutMs: number,
): Promise<void> {
  const serial = env?.feature<SerialFeature>('SerialConsole');
  const mark = serial?.mark();
  try {
    const boot = env?.feature<KernelBootFeature>('KernelBoot');
    if (boot) await boot.reboot(index);
    else await node.reboot({ timeoutMs });
  } catch (e) {
    let detail = '';
    if (serial && mark) {
      const panics = serial.scan(mark).panics;
      const tail = serial.read(index).split('\n').slice(-30).join('\n');
      detail = `${panics.length ? `\npanic:\n${panics.join('\n---\n')}` : ''}\n--- serial console (last lines) ---\n${tail}`;
    }
    throw new TransformerStepError('the node did not come back', `${node.name}: ${(e as Error).message}${detail}`);
  }
}

export async function runningKernel(node: Node): Promise<string> {
  const r = await node.execute('uname -r', { timeoutMs: 60_000 });
  return r.stdout.trim();
}
