import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, MemorySink, type LogSink } from '../../src/logging/logger.js';
import { SecretMasker } from '../../src/logging/secrets.js';
import type { PlatformContext } from '../../src/platform/types.js';
import { QemuPlatform } from '../../src/platform/qemu/index.js';

/**
 * Image cache shared by every qemu test of one run (and across runs on a dev machine), so the
 * Debian image is built once: set LISA_TEST_IMAGE_CACHE in CI to a per-run directory.
 */
export const TEST_IMAGE_CACHE = process.env.LISA_TEST_IMAGE_CACHE ?? '/var/tmp/lisa-test-images';

export interface QemuTestContext {
  ctx: PlatformContext;
  abort: AbortController;
  lines: string[];
  runDir: string;
}

export function qemuTestContext(name: string): QemuTestContext {
  const runRoot = mkdtempSync(join(tmpdir(), `lisa-${name}-`));
  const runDir = join(runRoot, 'run');
  const mem = new MemorySink();
  const echo: LogSink = {
    write: (level, source, message) => {
      if (process.env.LISA_TEST_VERBOSE || level !== 'debug')
        process.stderr.write(`# ${level} [${source}] ${message}\n`);
    },
  };
  const abort = new AbortController();
  const masker = new SecretMasker();
  const ctx: PlatformContext = {
    runDir,
    log: new Logger(name, [mem, echo], masker),
    masker,
    signal: abort.signal,
    environmentConfig: undefined,
  };
  return { ctx, abort, lines: mem.lines, runDir };
}

export function qemuTestPlatform(
  options: Record<string, unknown> = {},
  keepEnvironment: 'no' | 'always' | 'failed' = 'no',
): QemuPlatform {
  return new QemuPlatform({ type: 'qemu', keepEnvironment, options: { cache_dir: TEST_IMAGE_CACHE, ...options } });
}

/** PIDs of running qemu processes whose command line contains `marker` (zombies excluded). */
export async function qemuPidsMatching(marker: string): Promise<number[]> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (cmd.includes('qemu-system') && cmd.includes(marker) && !/\) Z /.test(stat)) out.push(Number(p));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
