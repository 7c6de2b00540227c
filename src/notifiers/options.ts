import { isAbsolute, resolve } from 'node:path';

export type OptionKind = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  kind: OptionKind;
  /** Allowed values, for enumerations such as `color: auto|always|never`. */
  oneOf?: readonly string[];
}

/**
 * Checks a notifier's runbook options against what it understands. A misspelt option would
 * otherwise be ignored silently and the report would land somewhere the user does not look.
 */
export function readOptions<S extends Record<string, OptionSpec>>(
  type: string,
  options: Record<string, unknown>,
  spec: S,
): { [K in keyof S]?: S[K]['kind'] extends 'number' ? number : S[K]['kind'] extends 'boolean' ? boolean : string } {
  const known = Object.keys(spec);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'type') continue;
    const s = spec[key];
    if (!s) {
      const hint = known.length ? `known options: ${known.join(', ')}` : 'it takes no options';
      throw new Error(`notifier "${type}": unknown option "${key}" (${hint})`);
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== s.kind) {
      throw new Error(`notifier "${type}": option "${key}" must be a ${s.kind}, got ${describe(value)}`);
    }
    if (s.oneOf && !s.oneOf.includes(value as string)) {
      throw new Error(
        `notifier "${type}": option "${key}" must be one of ${s.oneOf.join(', ')}, got "${String(value)}"`,
      );
    }
    if (s.kind === 'number' && (!Number.isFinite(value) || (value as number) < 0)) {
      throw new Error(`notifier "${type}": option "${key}" must be a non-negative number, got ${String(value)}`);
    }
    if (s.kind === 'string' && value === '') {
      throw new Error(`notifier "${type}": option "${key}" must not be empty`);
    }
    out[key] = value;
  }
  return out as never;
}

/**
 * Report paths: absent means `<runDir>/<fallback>`; relative paths are taken from the directory
 * lisa was started in, which is where CI steps that publish the report look for it.
 */
export function reportPath(path: string | undefined, runDir: string, fallback: string): string {
  if (path === undefined) return resolve(runDir, fallback);
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
