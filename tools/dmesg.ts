import { Tool, type PackageNames } from '../src/tool/tool.js';

/** syslog priorities: 0 emerg … 7 debug. */
export type KernelPriority = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface KernelMessage {
  priority: KernelPriority;
  /** Seconds since boot. */
  time: number;
  message: string;
}

export type KernelDefect =
  | 'panic'
  | 'oops'
  | 'bug'
  | 'call-trace'
  | 'warning'
  | 'hung-task'
  | 'soft-lockup'
  | 'rcu-stall'
  | 'segfault'
  | 'io-error'
  | 'fs-error'
  | 'oom-kill';

/** What each defect looks like in the kernel log. Order matters: the first match names the line. */
export const DEFECT_PATTERNS: [KernelDefect, RegExp][] = [
  ['panic', /Kernel panic - not syncing/],
  [
    'oops',
    /\bOops\b|general protection fault|BUG: (?:unable to handle|kernel NULL pointer dereference)|unable to handle kernel (?:NULL pointer dereference|paging request)/,
  ],
  ['hung-task', /blocked for more than \d+ seconds|INFO: task \S+ blocked/],
  ['soft-lockup', /soft lockup - CPU#|hard LOCKUP|Watchdog detected hard LOCKUP/],
  ['bug', /\bBUG: |kernel BUG at /],
  ['rcu-stall', /rcu_(?:sched|preempt|bh)? ?(?:self-)?detected stall|rcu: INFO: \S+ (?:self-)?detected stalls?/],
  ['call-trace', /^\s*Call [Tt]race:/],
  ['warning', /^WARNING: CPU: \d+ PID: \d+ at /],
  ['segfault', /\bsegfault at [0-9a-f]+ ip /],
  ['io-error', /\bI\/O error\b|critical medium error|critical target error|blk_update_request: .*error/],
  [
    'fs-error',
    /EXT4-fs error|EXT4-fs \(\S+\): (?:mounted filesystem .* with errors|Remounting filesystem read-only)|XFS \(\S+\): (?:Corruption|metadata I\/O error|Filesystem has been shut down)|BTRFS (?:error|critical)/,
  ],
  ['oom-kill', /Out of memory: Kill(?:ed)? process|invoked oom-killer/],
];

export function classifyKernelLine(message: string): KernelDefect | undefined {
  return DEFECT_PATTERNS.find(([, re]) => re.test(message))?.[0];
}

export interface KernelFinding extends KernelMessage {
  defect: KernelDefect;
}

/** Lines of the log that indicate a defect, with their kind. */
export function findDefects(messages: readonly KernelMessage[]): KernelFinding[] {
  const out: KernelFinding[] = [];
  for (const m of messages) {
    const defect = classifyKernelLine(m.message);
    if (defect) out.push({ ...m, defect });
  }
  return out;
}

/** Parses `dmesg -J` (util-linux ≥ 2.38). */
export function parseDmesgJson(text: string): KernelMessage[] {
  if (!text.trim()) return [];
  const parsed = JSON.parse(text) as { dmesg?: { pri?: number; time?: number; msg?: string }[] };
  return (parsed.dmesg ?? []).map((e) => ({
    priority: ((e.pri ?? 6) & 7) as KernelPriority,
    time: e.time ?? 0,
    message: e.msg ?? '',
  }));
}

/**
 * Parses `dmesg -r` (raw, every util-linux and busybox): `<6>[    1.234567] text`. The number in
 * angle brackets is facility*8+level; lines of a continuation have no prefix.
 */
export function parseDmesgRaw(text: string): KernelMessage[] {
  const out: KernelMessage[] = [];
  for (const line of text.split('\n')) {
    const m = /^<(\d+)>(?:\[\s*([\d.]+)\]\s?)?(.*)$/.exec(line);
    if (m) out.push({ priority: (Number(m[1]) & 7) as KernelPriority, time: Number(m[2] ?? 0), message: m[3]! });
    else if (line.trim() && out.length) out.push({ ...out[out.length - 1]!, message: line });
  }
  return out;
}

/**
 * Parses human-readable kernel log text: plain `dmesg` output or a serial console capture, lines
 * `[    1.234567] text`. Priorities are not in this format: defect lines are classified by text, and
 * the priority is a guess (3 for defect lines, 6 otherwise). Lines without a timestamp are skipped,
 * so interleaved console output (login prompts, systemd status) is ignored.
 */
export function parseDmesgText(text: string): KernelMessage[] {
  const out: KernelMessage[] = [];
  // Serial captures end lines with \r\n.
  for (const line of text.split(/\r?\n/)) {
    const m = /\[\s*(\d+\.\d+)\]\s?(.*?)\r?$/.exec(line);
    if (!m) continue;
    out.push({ priority: classifyKernelLine(m[2]!) ? 3 : 6, time: Number(m[1]), message: m[2]! });
  }
  return out;
}

/** `dmesg`: the kernel ring buffer. Needs root where kernel.dmesg_restrict=1 (the default on many distros). */
export class Dmesg extends Tool {
  readonly command = 'dmesg';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'util-linux' };

  /** Messages at `maxPriority` or more severe (default: all). */
  async messages(maxPriority: KernelPriority = 7): Promise<KernelMessage[]> {
    const json = await this.run('-J', { noErrorLog: true, timeoutMs: 60_000 });
    const all =
      json.exitCode === 0 && json.stdout.trimStart().startsWith('{')
        ? parseDmesgJson(json.stdout)
        : parseDmesgRaw((await this.runOk('-r', { timeoutMs: 60_000 })).stdout);
    return all.filter((m) => m.priority <= maxPriority);
  }

  /** Defect lines (panic, oops, BUG, call trace, hung task, segfault, I/O errors...) at any priority. */
  async defects(): Promise<KernelFinding[]> {
    return findDefects(await this.messages());
  }
}
