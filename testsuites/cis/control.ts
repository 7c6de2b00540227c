import { fail } from '../../src/testing/assert.js';
import type { CaseContext } from '../../src/testing/types.js';
import type { FactBlocks } from '../../tools/fact-probe.js';

/**
 * One CIS control as evaluated on a node. Control numbers follow the CIS Debian Linux 12 Benchmark
 * v1.1.0; the RHEL-family benchmarks of the same generation (RHEL 9 v2.0.0, Azure Linux 3.0) use
 * the same section layout, and where a control needs a different file or package there, the
 * section's evaluator picks it by family.
 */
export interface ControlResult {
  id: string;
  title: string;
  /** What breaks the control, each naming the offending item; empty means the control holds. */
  offending: string[];
  /** Set when the control does not apply on this node (e.g. no separate /var/tmp). */
  notApplicable?: string;
}

export type Family = 'debian' | 'rhel';

/** A CIS section: a read-only fact script run in one round trip, and its evaluation. */
export interface CisSection {
  /** The case name, e.g. `filesystem`. */
  name: string;
  /** Benchmark sections covered, e.g. `1.1.2`. */
  sections: string;
  description: string;
  script: (family: Family) => string;
  evaluate: (facts: FactBlocks, family: Family) => ControlResult[];
}

export function control(id: string, title: string, offending: string[] = []): ControlResult {
  return { id, title, offending };
}

export function notApplicable(id: string, title: string, why: string): ControlResult {
  return { id, title, offending: [], notApplicable: why };
}

/** Fails naming every broken control with its offending items, e.g. `1.1.2.1.4 noexec on /tmp: ...`. */
export function checkControls(what: string, results: readonly ControlResult[]): void {
  const broken = results.filter((r) => r.offending.length > 0);
  if (broken.length === 0) return;
  const shown = broken
    .map((r) => {
      const items = r.offending.slice(0, 8).join(', ');
      const more = r.offending.length > 8 ? ` (+${r.offending.length - 8} more)` : '';
      return `CIS ${r.id} ${r.title}: ${items}${more}`;
    })
    .join('; ');
  fail(what, 'every control holds', `${broken.length} of ${results.length} controls broken: ${shown}`);
}

/** Reports every control as a sub-result, then fails on the broken ones. */
export function reportControls(ctx: CaseContext, section: string, results: readonly ControlResult[]): void {
  for (const r of results) {
    const name = `${r.id} ${r.title}`;
    if (r.notApplicable) ctx.subResult(name, 'SKIPPED', r.notApplicable);
    else if (r.offending.length) ctx.subResult(name, 'FAILED', r.offending.join('; '));
    else ctx.subResult(name, 'PASSED');
  }
  checkControls(`CIS Level 1 ${section} on ${ctx.node.name}`, results);
}

export interface StatEntry {
  path: string;
  /** Octal permission bits as printed by `stat -c %a`, e.g. `644` or `1777`. */
  mode: number;
  owner: string;
  group: string;
  type: string;
}

/** `stat -c '%a|%U|%G|%F|%n'` lines. */
export function parseStat(lines: readonly string[]): StatEntry[] {
  const out: StatEntry[] = [];
  for (const line of lines) {
    const p = line.split('|');
    if (p.length < 5) continue;
    out.push({ mode: parseInt(p[0]!, 8), owner: p[1]!, group: p[2]!, type: p[3]!, path: p.slice(4).join('|') });
  }
  return out;
}

/** The permission bits beyond `max` (e.g. 0o640), or 0 when the mode is at most that. */
export function excessBits(mode: number, max: number): number {
  return mode & 0o7777 & ~max;
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Offending text when a file is looser than `max` or not owned by `owner`/one of `groups`. */
export function permissionProblem(e: StatEntry, max: number, owner = 'root', groups = ['root']): string | undefined {
  const problems: string[] = [];
  if (excessBits(e.mode, max)) problems.push(`mode ${octal(e.mode)} (at most ${octal(max)})`);
  if (e.owner !== owner) problems.push(`owner ${e.owner} (expected ${owner})`);
  if (!groups.includes(e.group)) problems.push(`group ${e.group} (expected ${groups.join(' or ')})`);
  return problems.length ? `${e.path} ${problems.join(', ')}` : undefined;
}

/** Stat lines for these paths: `stat` of each that exists, so a missing file is simply absent. */
export function statScript(block: string, paths: readonly string[]): string {
  return `echo '### ${block}'; for f in ${paths.join(' ')}; do [ -e "$f" ] && stat -c '%a|%U|%G|%F|%n' "$f"; done; true`;
}
