import { parseSysctl } from '../../tools/sysctl.js';
import type { FactBlocks } from '../../tools/fact-probe.js';
import { control, type ControlResult } from './control.js';

/** A control met by kernel parameters: each key must satisfy its test; a key the kernel lacks is skipped. */
export interface SysctlControl {
  id: string;
  title: string;
  keys: Record<string, (v: string) => boolean>;
  /** What the keys must be, for the message, e.g. `0`. */
  expected: string;
}

export const is = (want: string) => (v: string) => v === want;
export const atLeast = (min: number) => (v: string) => Number(v) >= min;

export function sysctlScript(block: string, controls: readonly SysctlControl[]): string {
  const keys = controls.flatMap((c) => Object.keys(c.keys));
  return `echo '### ${block}'; sysctl ${keys.join(' ')} 2>/dev/null; true`;
}

export function evaluateSysctls(facts: FactBlocks, block: string, controls: readonly SysctlControl[]): ControlResult[] {
  const values = parseSysctl(facts[block] ?? '');
  return controls.map((c) => {
    const offending = Object.entries(c.keys)
      .filter(([k, ok]) => values[k] !== undefined && !ok(values[k]))
      .map(([k]) => `${k} = ${values[k]} (expected ${c.expected})`);
    const present = Object.keys(c.keys).filter((k) => values[k] !== undefined);
    if (present.length === 0) offending.push(`none of ${Object.keys(c.keys).join(', ')} could be read`);
    return control(c.id, c.title, offending);
  });
}
