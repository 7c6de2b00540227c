/**
 * Every remote command lisa starts carries `LISA_OWNER=<tag>` in its environment, and so do its
 * descendants. The tag names the lisa process that owns it (boot, pid namespace, pid and start
 * time on the machine lisa runs on), so a later lisa on the same machine can tell whether the
 * owner is still alive: a run killed with SIGKILL leaves commands whose owner is gone.
 */
import { readFileSync, readlinkSync } from 'node:fs';

export const OWNER_ENV = 'LISA_OWNER';

/** Boot id, pid namespace, pid, start time (clock ticks after boot): all digits, hex and dashes. */
interface Owner {
  boot: string;
  pidNs: string;
  pid: number;
  start: string;
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function here(): { boot: string; pidNs: string } {
  let boot = 'unknown';
  let pidNs = 'unknown';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  } catch {
    // Not Linux: tags from here are never judged dead, so nothing is ever reaped wrongly.
  }
  try {
    pidNs = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    // As above.
  }
  return { boot, pidNs };
}

let mine: string | undefined;

/** This process's tag, e.g. `c6a5c6a5-83f0-437e-8f6d-54c6c77cae8f.4026531836.4242.918273`. */
export function ownerTag(): string {
  if (mine) return mine;
  const { boot, pidNs } = here();
  mine = [boot, pidNs, process.pid, startTicks(process.pid) ?? '0'].join('.');
  return mine;
}

/** `LISA_OWNER=<tag>`, safe to paste into a shell command as is. */
export function ownerAssignment(): string {
  return `${OWNER_ENV}=${ownerTag()}`;
}

function parse(tag: string): Owner | undefined {
  const m = /^([0-9a-f-]+)\.(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return m ? { boot: m[1]!, pidNs: m[2]!, pid: Number(m[3]), start: m[4]! } : undefined;
}

/**
 * True only when the tag's owner ran on this machine, in this boot and pid namespace, and is no
 * longer running. A tag from another machine (or a malformed one) is never judged dead: its owner
 * may be a lisa that is running there right now.
 */
export function ownerIsGone(tag: string): boolean {
  const owner = parse(tag);
  const { boot, pidNs } = here();
  if (!owner || owner.boot !== boot || owner.pidNs !== pidNs || boot === 'unknown') return false;
  return startTicks(owner.pid) !== owner.start;
}
