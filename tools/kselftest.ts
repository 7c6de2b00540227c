import { Tool, ToolNotAvailableError } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export type TapStatus = 'pass' | 'fail' | 'skip' | 'xfail' | 'todo';

export interface TapResult {
  number: number;
  /** For kselftest: `collection:test`, e.g. `timers:posix_timers`. */
  name: string;
  status: TapStatus;
  /** Text after `#` (SKIP reason, `exit=1`). */
  directive?: string;
}

/**
 * Parses the top level of a TAP stream. Nested TAP (kselftest prints each test's own TAP prefixed
 * by `# `) is ignored, so each kselftest program is one result.
 */
export function parseTap(text: string): { plan?: number; results: TapResult[] } {
  const out: { plan?: number; results: TapResult[] } = { results: [] };
  for (const line of text.split('\n')) {
    const plan = /^1\.\.(\d+)/.exec(line);
    if (plan) {
      out.plan = Number(plan[1]);
      continue;
    }
    const m = /^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$/.exec(line);
    if (!m) continue;
    const directive = m[4]?.trim();
    let status: TapStatus = m[1] === 'ok' ? 'pass' : 'fail';
    if (directive && /^skip/i.test(directive)) status = 'skip';
    else if (directive && /^todo/i.test(directive)) status = m[1] === 'ok' ? 'todo' : 'xfail';
    else if (directive && /^xfail/i.test(directive)) status = 'xfail';
    const r: TapResult = { number: Number(m[2]), name: m[3]!.trim(), status };
    if (directive) r.directive = directive;
    out.results.push(r);
  }
  return out;
}

/** kselftest names its results `selftests: timers: posix_timers`; shorten to `timers:posix_timers`. */
export function parseKselftestOutput(text: string): TapResult[] {
  return parseTap(text).results.map((r) => ({
    ...r,
    name: r.name.replace(/^selftests:\s*/, '').replace(/:\s+/g, ':'),
  }));
}

export interface KselftestOptions {
  /** Collections (`timers`, `net`) or `collection:test` entries; all installed tests when empty. */
  tests?: string[];
  timeoutMs?: number;
}

/**
 * The kernel selftests as installed by `make -C tools/testing/selftests install` (or a distro's
 * kselftests package), under `root` with its run_kselftest.sh.
 */
export class Kselftest extends Tool {
  readonly command = 'run_kselftest.sh';
  root = '/opt/kselftest';

  override async exists(): Promise<boolean> {
    // `make install` leaves run_kselftest.sh mode 744: present is enough, it is run as root.
    const r = await this.node.execute(`test -f ${shellQuote(this.root)}/run_kselftest.sh`, { noErrorLog: true });
    return r.exitCode === 0;
  }

  override async install(): Promise<void> {
    throw new ToolNotAvailableError(this.name, this.node.name, `no kselftest install at ${this.root}`);
  }

  async list(): Promise<string[]> {
    await this.ensure();
    const r = await this.node.execute(`cd ${shellQuote(this.root)} && ./run_kselftest.sh -l`, {
      sudo: true,
      expectedExitCode: 0,
    });
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  async runTests(options: KselftestOptions = {}): Promise<TapResult[]> {
    await this.ensure();
    const sel = (options.tests ?? [])
      .map((t) => (t.includes(':') ? `-t ${shellQuote(t)}` : `-c ${shellQuote(t)}`))
      .join(' ');
    // The runner reopens /dev/stdout, which fails (ENXIO) when stdout is a socket, as it is under
    // some exec channels: write to a file and read that back.
    const out = `/tmp/lisa-kselftest-${Date.now()}.tap`;
    const r = await this.node.execute(
      `cd ${shellQuote(this.root)} && ./run_kselftest.sh ${sel} > ${out} 2>&1; cat ${out}`,
      {
        sudo: true,
        noErrorLog: true,
        timeoutMs: options.timeoutMs ?? 3_600_000,
      },
    );
    return parseKselftestOutput(r.stdout);
  }
}
