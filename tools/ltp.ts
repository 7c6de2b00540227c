import { Tool, ToolNotAvailableError } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

/** LTP result codes: TPASS, TFAIL, TBROK (setup broke), TCONF (not applicable: a skip), TWARN. */
export type LtpStatus = 'PASS' | 'FAIL' | 'BROK' | 'CONF' | 'WARN';

export interface LtpTestResult {
  name: string;
  status: LtpStatus;
  exitValue: number;
}

export interface LtpRun {
  results: LtpTestResult[];
  /** The totals LTP printed, to cross-check the parsed lines. */
  totals: { tests?: number; skipped?: number; failures?: number };
  kernel?: string;
  /** runltp was killed at its timeout: the results are the tests that finished before. */
  timedOut?: boolean;
}

/** Exit values are bit masks of the result flags (lib/tst_res_flags.h). */
function statusFromExit(result: string, exit: number): LtpStatus {
  if (result === 'PASS') return 'PASS';
  if (result === 'CONF') return 'CONF';
  if (exit & 2) return 'BROK';
  if (exit & 1) return 'FAIL';
  if (exit & 4) return 'WARN';
  if (exit & 32) return 'CONF';
  return 'FAIL';
}

/**
 * Parses the results log ltp-pan writes for `runltp -l FILE`: the "Testcase  Result  Exit Value"
 * table of `-p`, or the machine format without it (`tag=fork01 stime=... stat=0 ...`).
 */
export function parseLtpResultsLog(text: string): LtpRun {
  const run: LtpRun = { results: [], totals: {} };
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^Testcase\s+Result\s+Exit Value/.test(line)) {
      inTable = true;
      continue;
    }
    const total = /^Total (Tests|Skipped Tests|Failures):\s*(\d+)/.exec(line);
    if (total) {
      const key = total[1] === 'Tests' ? 'tests' : total[1] === 'Skipped Tests' ? 'skipped' : 'failures';
      run.totals[key] = Number(total[2]);
      continue;
    }
    const kernel = /^Kernel Version:\s*(.*)$/.exec(line);
    if (kernel) run.kernel = kernel[1]!.trim();
    const machine = /^tag=(\S+)\s.*\bstat=(\d+)/.exec(line);
    if (machine) {
      const exit = Number(machine[2]);
      run.results.push({
        name: machine[1]!,
        status: statusFromExit(exit === 0 ? 'PASS' : exit === 32 ? 'CONF' : 'FAIL', exit),
        exitValue: exit,
      });
      continue;
    }
    if (!inTable) continue;
    const m = /^(\S+)\s+(PASS|FAIL|CONF|BROK|WARN)\s+(\d+)/.exec(line);
    if (m) run.results.push({ name: m[1]!, status: statusFromExit(m[2]!, Number(m[3])), exitValue: Number(m[3]) });
  }
  return run;
}

/** Parses kirk's `--json-report` file (results[].test_fqn and results[].status). */
export function parseKirkJson(text: string): LtpRun {
  const doc = JSON.parse(text) as {
    results?: Array<{ test_fqn?: string; status?: string; test?: { retval?: string[] } }>;
    stats?: {
      runtime?: number;
      passed?: number;
      failed?: number;
      broken?: number;
      skipped?: number;
      warnings?: number;
    };
    environment?: { kernel?: string };
  };
  const map: Record<string, LtpStatus> = { pass: 'PASS', fail: 'FAIL', brok: 'BROK', conf: 'CONF', warn: 'WARN' };
  const run: LtpRun = {
    results: (doc.results ?? []).map((r) => ({
      name: r.test_fqn ?? '',
      status: map[(r.status ?? '').toLowerCase()] ?? 'FAIL',
      exitValue: Number(r.test?.retval?.[0] ?? 0),
    })),
    totals: {},
  };
  if (doc.stats) {
    run.totals = { skipped: doc.stats.skipped ?? 0, failures: (doc.stats.failed ?? 0) + (doc.stats.broken ?? 0) };
  }
  if (doc.environment?.kernel) run.kernel = doc.environment.kernel;
  return run;
}

/**
 * Builds an LTP command file (runtest format: `name command args`) that keeps only the named
 * tests, from the concatenated runtest files.
 */
export function selectRuntestLines(runtestText: string, names: readonly string[]): string {
  const wanted = new Set(names);
  const lines = runtestText.split('\n').filter((l) => wanted.has(l.trim().split(/\s+/)[0] ?? ''));
  const seen = new Set<string>();
  return lines
    .filter((l) => {
      const n = l.trim().split(/\s+/)[0]!;
      if (seen.has(n)) return false;
      seen.add(n);
      return true;
    })
    .join('\n');
}

export interface LtpOptions {
  /** runtest files under $LTPROOT/runtest (`syscalls`, `mm`), run whole. */
  runtestFiles?: string[];
  /** Individual test names picked out of all runtest files. */
  tests?: string[];
  timeoutMs?: number;
}

/**
 * The Linux Test Project, installed under `root` (default /opt/ltp: distributions do not package
 * it, so images or a runbook step provide a prebuilt tree). install() cannot fetch it.
 */
export class Ltp extends Tool {
  readonly command = 'runltp';
  root = '/opt/ltp';

  override async exists(): Promise<boolean> {
    // Prebuilt trees are often root-only; present is enough, runltp is run as root.
    const r = await this.node.execute(`test -f ${shellQuote(this.root)}/runltp`, { noErrorLog: true });
    return r.exitCode === 0;
  }

  override async install(): Promise<void> {
    throw new ToolNotAvailableError(
      this.name,
      this.node.name,
      `no LTP at ${this.root} (LTP is not packaged; provide a prebuilt tree)`,
    );
  }

  async runTests(options: LtpOptions): Promise<LtpRun> {
    await this.ensure();
    const root = shellQuote(this.root);
    const work = `/tmp/lisa-ltp-${Date.now()}`;
    let files = (options.runtestFiles ?? []).join(',');
    if (options.tests?.length) {
      const all = await this.node.execute(`cat ${root}/runtest/*`, { noErrorLog: true });
      const selection = selectRuntestLines(all.stdout, options.tests);
      await this.node.execute(`cat > ${root}/runtest/lisa-selection`, {
        sudo: true,
        input: `${selection}\n`,
        expectedExitCode: 0,
      });
      files = files ? `${files},lisa-selection` : 'lisa-selection';
    }
    if (!files) throw new Error('Ltp.runTests: give runtestFiles or tests');
    const r = await this.node.execute(
      `mkdir -p ${work}/tmp && cd ${root} && ./runltp -p -q -f ${shellQuote(files)} -l ${work}/results.log -o ${work}/output.log -d ${work}/tmp > ${work}/console.log 2>&1`,
      { sudo: true, noErrorLog: true, timeoutMs: options.timeoutMs ?? 3_600_000 },
    );
    const log = await this.node.execute(`cat ${work}/results.log`, { sudo: true, noErrorLog: true });
    if (log.exitCode !== 0) throw new Error(`LTP wrote no results log on ${this.node.name} (${work}/results.log)`);
    const run = parseLtpResultsLog(log.stdout);
    if (r.timedOut) run.timedOut = true;
    return run;
  }
}
