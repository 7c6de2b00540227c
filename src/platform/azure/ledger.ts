import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The tags every group this harness creates carries; `lisa reap` deletes only groups that have them. */
export const TAG = {
  createdBy: 'lisa_created_by',
  run: 'lisa_run',
  owner: 'lisa_owner',
  expiry: 'lisa_expiry',
  created: 'lisa_created',
} as const;
export const CREATED_BY = 'lisa-ts';

export interface LedgerEntry {
  group: string;
  subscription: string;
  endpoint: string;
  run: string;
  /** The lisa process that created it; a group whose process is gone has leaked. */
  pid: number;
  at: string;
  /** `still-deleting`: the run gave up waiting for the delete (`delete_timeout`); reap retries it. */
  state: 'creating' | 'deleting' | 'still-deleting' | 'deleted' | 'kept';
}

/**
 * An append-only file of every resource group a run creates, written (and flushed to disk) before
 * the create request is sent, so that a SIGKILL at any moment leaves a record to reap from.
 */
export class Ledger {
  constructor(readonly file: string) {}

  /**
   * One per user, not per run root: a killed run's groups are found whichever runbook or log_path
   * it used. `$LISA_STATE_DIR` or `$XDG_STATE_HOME/lisa` or `~/.local/state/lisa`.
   */
  static forUser(): Ledger {
    const dir =
      process.env.LISA_STATE_DIR ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'lisa');
    return new Ledger(join(dir, 'azure-ledger.jsonl'));
  }

  append(entry: Omit<LedgerEntry, 'at'>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, JSON.stringify({ ...entry, at: new Date().toISOString() }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The latest entry of each group. */
  read(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    const latest = new Map<string, LedgerEntry>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as LedgerEntry;
        latest.set(`${e.endpoint}|${e.subscription}|${e.group}`, e);
      } catch {
        /* a line cut short by a kill */
      }
    }
    return [...latest.values()];
  }
}
