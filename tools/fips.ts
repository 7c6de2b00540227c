import { Tool } from '../src/tool/tool.js';

export interface FipsState {
  /** null when the kernel has no FIPS support compiled in (the file does not exist). */
  kernelFipsEnabled: boolean | null;
  /** `fips=1` on the kernel command line. */
  cmdlineFips: boolean;
}

/** Parses the output of `cat /proc/sys/crypto/fips_enabled; echo; cat /proc/cmdline` where the first may be missing. */
export function parseFipsState(fipsEnabled: string | null, cmdline: string): FipsState {
  const value = fipsEnabled?.trim();
  return {
    kernelFipsEnabled: value === undefined || value === '' ? null : value === '1',
    cmdlineFips: /(^|\s)fips=1(\s|$)/.test(cmdline),
  };
}

/** FIPS 140 mode of the kernel. */
export class FipsMode extends Tool {
  readonly command = 'cat';

  async state(): Promise<FipsState> {
    const f = await this.node.execute('cat /proc/sys/crypto/fips_enabled', { noErrorLog: true });
    const c = await this.node.execute('cat /proc/cmdline', { noErrorLog: true });
    return parseFipsState(f.exitCode === 0 ? f.stdout : null, c.stdout);
  }
}
