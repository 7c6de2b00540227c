import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface JournalEntry {
  message: string;
  /** 0 emerg … 7 debug. */
  priority: number;
  /** _SYSTEMD_UNIT, empty for the kernel and for processes outside a unit. */
  unit: string;
  /** SYSLOG_IDENTIFIER, or _COMM. */
  identifier: string;
  /** `kernel`, `journal`, `stdout`, `syslog`... */
  transport: string;
  pid?: number;
  /** Microseconds since the epoch. */
  timestampUs: number;
  bootId: string;
}

/** journald stores non-UTF-8 messages as arrays of bytes. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return Buffer.from(v as number[]).toString('utf8');
  // journald's JSON has strings (and byte arrays) only; numbers are tolerated for hand-made input.
  return typeof v === 'number' ? String(v) : '';
}

/** Parses `journalctl -o json` (one JSON object per line). */
export function parseJournalJson(out: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as Record<string, unknown>;
    const pid = Number(text(e._PID));
    entries.push({
      message: text(e.MESSAGE),
      priority: e.PRIORITY === undefined ? 6 : Number(text(e.PRIORITY)),
      unit: text(e._SYSTEMD_UNIT),
      identifier: text(e.SYSLOG_IDENTIFIER) || text(e._COMM),
      transport: text(e._TRANSPORT),
      ...(Number.isFinite(pid) && pid > 0 ? { pid } : {}),
      timestampUs: Number(text(e.__REALTIME_TIMESTAMP)) || 0,
      bootId: text(e._BOOT_ID),
    });
  }
  return entries;
}

export interface JournalQuery {
  /** Highest priority number to include, e.g. 3 for err and worse. */
  priority?: number;
  /** `0` or omitted: this boot; `-1` the previous one; `'all'` every boot. */
  boot?: number | 'all';
  unit?: string;
  /** e.g. `-10min` or `2024-01-01 00:00`. */
  since?: string;
  /** Only the last N entries. */
  lines?: number;
  kernelOnly?: boolean;
}

/** The journalctl arguments for a query. */
export function journalArgs(q: JournalQuery = {}): string {
  const a = ['-o json', '--no-pager', '-q'];
  if (q.boot !== 'all') a.push(`-b ${q.boot ?? 0}`);
  if (q.priority !== undefined) a.push(`-p ${q.priority}`);
  if (q.unit) a.push(`-u ${shellQuote(q.unit)}`);
  if (q.since) a.push(`--since ${shellQuote(q.since)}`);
  if (q.lines) a.push(`-n ${q.lines}`);
  if (q.kernelOnly) a.push('-k');
  return a.join(' ');
}

/** `journalctl`: the systemd journal as typed entries. Root (or the adm group) sees every unit. */
export class Journalctl extends Tool {
  readonly command = 'journalctl';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'systemd' };

  async entries(query: JournalQuery = {}): Promise<JournalEntry[]> {
    const r = await this.runOk(journalArgs(query), { timeoutMs: 5 * 60_000 });
    return parseJournalJson(r.stdout);
  }

  /** err and worse for this boot. */
  async errors(boot = 0): Promise<JournalEntry[]> {
    return this.entries({ priority: 3, boot });
  }
}
