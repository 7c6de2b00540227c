import type { Command } from 'commander';

/** `lisa image build` and `lisa doctor`: the local QEMU platform's own commands. */
export function registerQemuCommands(program: Command): void {
  const image = program.command('image').description('local guest images for the qemu platform');
  image
    .command('build')
    .description('build (or reuse from the cache) the Debian bookworm guest image')
    .option('--cache-dir <dir>', 'image cache directory')
    .option('--force', 'rebuild even when a cached image matches')
    .action(async (opts: { cacheDir?: string; force?: boolean }) => {
      const { buildImage } = await import('../../platform/qemu/index.js');
      const r = await buildImage({
        cacheDir: opts.cacheDir,
        force: opts.force,
        log: (line: string) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(
        `${r.cached ? 'reused cached' : 'built'} image ${r.imagePath} in ${(r.ms / 1000).toFixed(1)} s\n`,
      );
    });

  program
    .command('doctor')
    .description('check this machine for what the qemu platform needs and say what to install')
    .action(async () => {
      const { doctor } = await import('../../platform/qemu/index.js');
      const r = await doctor();
      for (const c of r.checks) {
        process.stdout.write(
          `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${!c.ok && c.fix ? `\n     fix: ${c.fix}` : ''}\n`,
        );
      }
      process.exitCode = r.ok ? 0 : 1;
    });
}
