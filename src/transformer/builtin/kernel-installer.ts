/**
 * `kernel_installer`: installs a kernel on every node of an environment (from the distribution's
 * repository or from .deb/.rpm files lisa uploads), makes it the default boot entry, reboots, and
 * checks that `uname -r` is the installed release.
 */
import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { defineTransformer, TransformerStepError } from '../types.js';
import { installKernel, kernelsInBoot, rebootNode, runningKernel, setDefaultEntry } from './kernel-install-steps.js';

export const kernelInstallerSchema = z.object({
  packages: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Packages from the repository, e.g. [linux-image-amd64] or [kernel-core-6.8.5]'),
  files: z.array(z.string().min(1)).min(1).optional().describe('.deb or .rpm files to upload, relative to the runbook'),
  release: z
    .string()
    .min(1)
    .optional()
    .describe('The expected `uname -r`; default: the kernel the install added to /boot'),
  reboot_timeout: z
    .number()
    .positive()
    .optional()
    .describe('Seconds to wait for the node after the reboot, default 900'),
});

export const kernelInstallerTransformer = defineTransformer({
  type: 'kernel_installer',
  description: 'Installs a kernel package, makes it the default boot entry, reboots and verifies uname -r',
  schema: kernelInstallerSchema,
  defaultPhase: 'environment_connected',
  phases: ['environment_connected'],
  outputs: () => ['kernel_version', 'previous_kernel_version'],
  async run(options, ctx) {
    if (!options.packages === !options.files) {
      throw new TransformerStepError(
        'options',
        'give exactly one of packages (from the repository) or files (to upload)',
      );
    }
    const files = options.files?.map((f) => (isAbsolute(f) ? f : resolve(ctx.baseDir, f)));
    for (const f of files ?? []) if (!existsSync(f)) throw new TransformerStepError('upload', `no such file: ${f}`);
    const results = await Promise.all(
      ctx.nodes.map(async (node, index) => {
        const previous = await runningKernel(node);
        const before = new Set(await kernelsInBoot(node));
        await installKernel(node, { packages: options.packages, files }, ctx);
        const added = (await kernelsInBoot(node)).filter((k) => !before.has(k));
        const release = options.release ?? (added.length === 1 ? added[0] : undefined);
        if (!release) {
          throw new TransformerStepError(
            'not installed',
            added.length
              ? `the install added ${added.join(', ')} to /boot on ${node.name}; say which with release:`
              : `no new kernel appeared in /boot on ${node.name} (already installed? then set release:)`,
          );
        }
        if (!(await kernelsInBoot(node)).includes(release)) {
          throw new TransformerStepError('not installed', `/boot/vmlinuz-${release} is not on ${node.name}`);
        }
        const how = await setDefaultEntry(node, index, release, ctx.environment);
        ctx.log.info(`${node.name}: ${release} is the default entry (${how}); rebooting`);
        await rebootNode(node, index, ctx.environment, (options.reboot_timeout ?? 900) * 1000);
        const booted = await runningKernel(node);
        if (booted !== release) {
          throw new TransformerStepError(
            'not booted',
            `${node.name} runs ${booted} after the reboot, expected ${release}`,
          );
        }
        ctx.log.info(`${node.name}: booted ${booted} (was ${previous})`);
        return { release, previous };
      }),
    );
    return { kernel_version: results[0]!.release, previous_kernel_version: results[0]!.previous };
  },
});
