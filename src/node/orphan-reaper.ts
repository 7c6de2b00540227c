/**
 * Finds and kills, on a node, the processes that a killed lisa run left behind: those whose
 * LISA_OWNER tag names a lisa process on this machine that no longer runs (./owner-tag.ts). Run
 * when a node is first connected (so the next run on the same environment cleans up) and by
 * `lisa reap`.
 */
import { killTreeScript } from './kill-tree.js';
import { OWNER_ENV, ownerIsGone, ownerTag } from './owner-tag.js';

/**
 * Lists `pid tag` for every process whose environment holds LISA_OWNER, and for every shell whose
 * command line does: the login shell that runs a command itself (no `exec`) has the tag in its
 * command line (`export LISA_OWNER=...`), not in the environment it started with. One grep reads
 * all the files; unreadable ones (other users' processes, processes that just exited) are skipped.
 */
export const ORPHAN_LIST_SCRIPT = `for f in $(grep -l -a '${OWNER_ENV}=' /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null); do
  p=\${f#/proc/}; p=\${p%/*}
  o=$( { tr '\\000' '\\n' < "$f"; } 2>/dev/null | grep -o -m1 '${OWNER_ENV}=[0-9a-f.-]*' | head -n 1)
  [ -n "$o" ] && echo "$p \${o#${OWNER_ENV}=}"
done
true`;

/** The processes in the listing that belong to a lisa that is gone (never our own). */
export function orphansIn(listing: string): { pid: number; tag: string }[] {
  const mine = ownerTag();
  const out = new Map<number, string>();
  for (const line of listing.split('\n')) {
    const m = /^(\d+) (\S+)$/.exec(line.trim());
    if (!m) continue;
    const pid = Number(m[1]);
    const tag = m[2]!;
    if (pid > 1 && tag !== mine && ownerIsGone(tag)) out.set(pid, tag);
  }
  return [...out].map(([pid, tag]) => ({ pid, tag }));
}

/** One script that kills every orphan's process group and descendants. */
export function killOrphansScript(pids: number[]): string {
  return pids.map((pid) => `( ${killTreeScript(pid).replace(/\n/g, '\n  ')}\n)`).join('\n') + '\ntrue';
}

/** Lists, judges and kills with `run` (a shell command on the node); returns the pids killed. */
export async function reapOrphans(run: (script: string) => Promise<string>): Promise<number[]> {
  const orphans = orphansIn(await run(ORPHAN_LIST_SCRIPT));
  if (orphans.length === 0) return [];
  const pids = orphans.map((o) => o.pid);
  await run(killOrphansScript(pids));
  return pids;
}
