import { fail } from './assert.js';

/**
 * A runbook variable a case uses as text (a path, a size, a host name): a scalar as written, the
 * fallback when unset. A list or mapping fails the case naming the variable, rather than turning
 * into the text "[object Object]".
 */
export function textVariable(variables: Readonly<Record<string, unknown>>, name: string, fallback: string): string {
  const value = variables[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  fail(`variable ${name}`, 'a string', Array.isArray(value) ? 'a list' : 'a mapping');
}

/** A runbook variable holding a list: YAML list or comma/space-separated string. */
export function listVariable(value: unknown, name = 'list variable'): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  fail(
    `variable ${name}`,
    'a list or a comma-separated string',
    typeof value === 'object' ? 'a mapping' : typeof value,
  );
}
