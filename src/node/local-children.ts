/**
 * The processes lisa starts on the machine it runs on (LocalNode commands: `type: local` nodes,
 * transformer scripts on the host, a case's own LocalNode), recorded while they run so that a
 * later lisa can kill the ones a run killed with SIGKILL left behind. Remote commands have their
 * owner tag instead (./orphan-reaper.ts).
 *
 * One ledger per lisa process, `<state dir>/local-children/<owner tag>.jsonl`: a line
 * `{"pid","pgid","start"}` when a command starts (each runs in a process group of its own) and
 * `{"pid","end":true}` when it ends; the file is removed when the process exits with nothing of
 * its own still running. A ledger whose owner is gone names what may be left: a group is killed
 * only while its leader still has the recorded start time (clock ticks after boot), or, the leader
 * gone, members started no earlier than it: a pid used again by an unrelated process is never hit.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ownerIsGone, ownerTag } from './owner-tag.js';

/** Where lisa keeps per-user state: `$LISA_STATE_DIR`, `$XDG_STATE_HOME/lisa` or `~/.local/state/lisa`. */
export function lisaStateDir(): string {
  return process.env.LISA_STATE_DIR ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'lisa');
}

export function localChildrenDir(): string {
  return join(lisaStateDir(), 'local-children');
}

interface ProcStat {
  pid: number;
  /** Z (zombie) and X (dead) are gone, whatever /proc still shows. */
  state: string;
  ppid: number;
  pgrp: number;
  /** Start time in clock ticks after boot (field 22), as written. */
  start: string;
}

/** Fields of /proc/<pid>/stat; the command name may hold spaces and parentheses, so count after the last ')'. */
export function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: f[0]!, ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19]! };
  } catch {
    return undefined;
  }
}

interface Started {
  pid: number;
  pgid: number;
  start: string;
}

/** This process's ledger; created on the first local command. */
class Ledger {
  private readonly running = new Map<number, Started>();
  private created = false;

  constructor(readonly file: string) {}

  /** Records a command started in a process group of its own (`pid` leads it). */
  started(pid: number): void {
    const st = readStat(pid);
    // Already gone: nothing can be left behind by it.
    if (!st) return;
    const entry: Started = { pid, pgid: st.pgrp, start: st.start };
    this.append(JSON.stringify(entry));
    this.running.set(pid, entry);
  }

  /** The command's shell is done; its group is off the books once nothing in it runs any more. */
  ended(pid: number): void {
    const entry = this.running.get(pid);
    if (!entry || groupAlive(entry.pgid)) return;
    this.running.delete(pid);
    this.append(JSON.stringify({ pid, end: true }));
  }

  /** At exit: the file goes when nothing it lists still runs; otherwise the next lisa reaps from it. */
  exit(): void {
    if (!this.created) return;
    const left = [...this.running.values()].some((e) => aliveGroup(e, listProcesses()).length > 0);
    if (!left) rmSync(this.file, { force: true });
  }

  private append(line: string): void {
    try {
      if (!this.created) {
        mkdirSync(join(this.file, '..'), { recursive: true });
        this.created = true;
        process.once('exit', () => this.exit());
      }
      // No fsync: the record has to outlive a SIGKILL of lisa, not a power cut.
      appendFileSync(this.file, `${line}\n`);
    } catch {
      // An unwritable state directory must not fail the command; only reaping is lost.
    }
  }
}

let mine: Ledger | undefined;

/** The ledger of this lisa process. */
export function localChildren(): Ledger {
  mine ??= new Ledger(join(localChildrenDir(), `${ownerTag()}.jsonl`));
  return mine;
}

/** Signal 0 to the group: true while any process is still in it. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const st = readStat(Number(e));
    // A zombie nobody reaps (a container's init may not) is not a process to kill or wait for.
    if (st && st.state !== 'Z' && st.state !== 'X') out.push(st);
  }
  return out;
}

/**
 * The live processes of a recorded group that are still the ones recorded: the leader with its
 * start time and everything below it, or (leader gone) the group's members started after it.
 */
function aliveGroup(entry: Started, procs: ProcStat[]): number[] {
  const leader = procs.find((p) => p.pid === entry.pid);
  // The pid now belongs to another process: the recorded group ended long ago.
  if (leader && leader.start !== entry.start) return [];
  const found = new Set<number>();
  for (const p of procs)
    if (p.pgrp === entry.pgid && p.pid !== process.pid && Number(p.start) >= Number(entry.start)) found.add(p.pid);
  if (leader) {
    // Descendants that left the group (sudo, daemons start sessions of their own).
    const children = new Map<number, number[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    const queue = [leader.pid];
    while (queue.length) {
      const pid = queue.pop()!;
      found.add(pid);
      for (const c of children.get(pid) ?? []) if (!found.has(c)) queue.push(c);
    }
  }
  found.delete(process.pid);
  return [...found];
}

function readLedger(file: string): Started[] {
  const running = new Map<number, Started>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  for (const line of text.split('\n')) {
    try {
      const r = JSON.parse(line) as Partial<Started> & { end?: boolean };
      if (!Number.isInteger(r.pid) || r.pid! <= 1) continue;
      if (r.end) running.delete(r.pid!);
      else if (Number.isInteger(r.pgid) && r.pgid! > 1 && /^\d+$/.test(String(r.start)))
        running.set(r.pid!, { pid: r.pid!, pgid: r.pgid!, start: String(r.start) });
    } catch {
      // An empty line, or one cut short by the kill.
    }
  }
  return [...running.values()];
}

export interface LocalReapResult {
  /** Pids killed, per ledger of a lisa that is gone. */
  killed: number[];
  /** Ledgers of lisas that are gone, read and removed. */
  ledgers: number;
}

/**
 * Kills what the ledgers of lisa processes that are gone still list, then removes those ledgers.
 * A ledger of a running lisa (this one included) or of another machine's pid namespace is left alone.
 */
export function reapLocalChildren(dir = localChildrenDir()): LocalReapResult {
  const result: LocalReapResult = { killed: [], ledgers: 0 };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return result;
  }
  const self = ownerTag();
  const boot = self.split('.')[0];
  for (const f of files) {
    const tag = f.slice(0, -'.jsonl'.length);
    const file = join(dir, f);
    // From an earlier boot: nothing it lists can still run.
    if (boot !== 'unknown' && tag.split('.')[0] !== boot && /^[0-9a-f-]+\./.test(tag)) {
      rmSync(file, { force: true });
      result.ledgers++;
      continue;
    }
    if (tag === self || !ownerIsGone(tag)) continue;
    const procs = listProcesses();
    const pids = new Set<number>();
    for (const entry of readLedger(file)) for (const pid of aliveGroup(entry, procs)) pids.add(pid);
    // Stopped first, so that nothing forks while the rest are being killed.
    for (const pid of pids) signal(pid, 'SIGSTOP');
    for (const pid of pids) signal(pid, 'SIGKILL');
    result.killed.push(...pids);
    result.ledgers++;
    rmSync(file, { force: true });
  }
  return result;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone already, or not ours to signal.
  }
}
