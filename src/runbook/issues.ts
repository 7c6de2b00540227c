/** Turns zod issues into RunbookErrors that name file:line:column, the key path and the fix. */
import type { z } from 'zod';
import { RunbookError } from './errors.js';
import { describeValue, errorAt, isPlainObject, locate, type LNode, type PathPart } from './located.js';
import { knownPlatformTypes } from '../platform/registry.js';
import { didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;
// zod's internal definition objects: the only way to list a schema's keys for suggestions.
// Only the fields read here, each optional: which ones exist depends on `type`.
type Def = {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  discriminator?: string;
  values?: unknown[];
};
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
};

/**
 * `data` and `schema` are the value validated at `base` in the file tree `root`; issue paths are
 * relative to them.
 */
export function issuesToErrors(
  issues: readonly Issue[],
  root: LNode,
  base: PathPart[],
  data: unknown,
  schema: z.ZodType,
): RunbookError[] {
  const ctx: Ctx = { root, base, data, schema };
  const errors = issues.flatMap((issue) => convert(issue, [], ctx));
  return dedupe(withoutEchoes(errors));
}

/** The first error, carrying the rest so the CLI can show them all. */
export function combine(errors: RunbookError[]): RunbookError {
  const [first, ...rest] = errors;
  first!.more.push(...rest);
  return first!;
}

interface Ctx {
  root: LNode;
  base: PathPart[];
  data: unknown;
  schema: z.ZodType;
}

function convert(issue: Issue, outer: PathPart[], ctx: Ctx): RunbookError[] {
  const path = [...outer, ...(issue.path as PathPart[])];
  const value = valueAt(ctx.data, path);
  const at = (message: string, p = path) =>
    errorAt(locate(ctx.root, [...ctx.base, ...p]).pos, [...ctx.base, ...p], message);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(ctx.schema, path, ctx.data);
      return issue.keys.map((key) => {
        const keyPath = [...ctx.base, ...path, key];
        const where = locate(ctx.root, keyPath);
        const hint =
          isPlatformEntry(keyPath) && knownPlatformTypes().includes(key)
            ? `; a ${key} section needs type: ${key}`
            : didYouMean(key, known);
        return errorAt(where.keyPos ?? where.pos, keyPath, `unknown key "${key}"${hint}`);
      });
    }
    case 'invalid_type': {
      if (value === undefined) {
        const parent = path.slice(0, -1);
        return [at(`missing required key "${String(path[path.length - 1])}"`, parent)];
      }
      return [at(`expected ${EXPECTED[issue.expected] ?? issue.expected}, found ${describeValue(value)}`)];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      return [at(`must be one of: ${allowed.join(', ')}; found ${describeValue(value)}${hint}`)];
    }
    case 'invalid_union':
      return convertUnion(issue, path, value, ctx, at);
    case 'too_small':
    case 'too_big':
      return [at(bound(issue, value))];
    default:
      return [at(issue.message)];
  }
}

function convertUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PathPart[],
  value: unknown,
  ctx: Ctx,
  at: (m: string, p?: PathPart[]) => RunbookError,
): RunbookError[] {
  if ((issue as { note?: string }).note === 'No matching discriminator') {
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
    const key = String(path[path.length - 1]);
    if (value === undefined) return [at(`missing required key "${key}"`, path.slice(0, -1))];
    if ((path[0] === 'platform' || path[0] === 'notifier') && path.length === 3) {
      // Module paths written elsewhere in the runbook are options of the union, not types to suggest.
      const known = options.filter((o) => !/^\.{0,2}\//.test(o)).sort();
      const hint = ' (or a module path: ./plugins/my-' + String(path[0]) + '.mts)';
      return [at(`unknown ${String(path[0])} type ${JSON.stringify(value)}; known types: ${known.join(', ')}${hint}`)];
    }
    const hint = typeof value === 'string' ? didYouMean(value, options) : '';
    return [at(`must be one of: ${options.join(', ')}; found ${describeValue(value)}${hint}`)];
  }
  // A branch whose problems are all inside the value matched its shape: report those problems.
  const typeMismatch = (branch: Issue[]) => branch.some((i) => i.path.length === 0 && i.code === 'invalid_type');
  const shaped = issue.errors.filter((b) => !typeMismatch(b)).sort((a, b) => a.length - b.length);
  if (shaped[0]) return shaped[0].flatMap((i) => convert(i, path, ctx));
  const expected = [
    ...new Set(
      issue.errors.flatMap((b) =>
        b.filter((i) => i.code === 'invalid_type').map((i) => (i as { expected: string }).expected),
      ),
    ),
  ];
  const words = expected.map((e) => EXPECTED[e] ?? e);
  return [at(`expected ${words.join(' or ')}, found ${describeValue(value)}`)];
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  if (issue.origin === 'array') {
    return small
      ? `must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`
      : `must have at most ${limit} entries`;
  }
  if (issue.origin === 'string') return small && limit === 1 ? 'must not be empty' : issue.message;
  const rel = small ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
  return `must be ${rel} ${limit}, found ${describeValue(value)}`;
}

function valueAt(data: unknown, path: readonly PathPart[]): unknown {
  let v = data;
  for (const part of path) {
    if (Array.isArray(v) && typeof part === 'number') v = v[part];
    else if (isPlainObject(v)) v = v[String(part)];
    else return undefined;
  }
  return v;
}

/** The keys the schema allows at `path`, following the branches the data selects. */
function keysAt(schema: z.ZodType, path: readonly PathPart[], data: unknown): string[] {
  let candidates: unknown[] = [schema];
  let value = data;
  for (const part of path) {
    candidates = expand(candidates, value).flatMap((s) => {
      const def = defOf(s);
      const next =
        def.type === 'object'
          ? def.shape?.[part]
          : def.type === 'array'
            ? def.element
            : def.type === 'record'
              ? def.valueType
              : undefined;
      return next === undefined ? [] : [next];
    });
    value = valueAt(value, [part]);
  }
  const keys = expand(candidates, value).flatMap((s) => {
    const def = defOf(s);
    return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
  });
  return [...new Set(keys)];
}

function expand(schemas: unknown[], value: unknown): unknown[] {
  return schemas.flatMap((s) => {
    let def = defOf(s);
    while (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) {
      s = def.innerType;
      def = defOf(s);
    }
    if (def.type === 'pipe') return expand([def.in], value);
    if (def.type !== 'union') return [s];
    let options = def.options ?? [];
    const discriminator = def.discriminator;
    if (discriminator && isPlainObject(value)) {
      const wanted = value[discriminator];
      const match = options.filter((o) => {
        const branch = defOf(o);
        const field = branch.type === 'object' ? branch.shape?.[discriminator] : undefined;
        const lit = field === undefined ? undefined : defOf(field);
        return lit?.type === 'literal' && (lit.values ?? []).includes(wanted);
      });
      if (match.length) options = match;
    }
    return expand(options, value);
  });
}

function isPlatformEntry(keyPath: PathPart[]): boolean {
  return keyPath.length === 3 && keyPath[0] === 'platform';
}

/** A misspelt required key also shows up as missing; the "did you mean" error says it all. */
function withoutEchoes(errors: RunbookError[]): RunbookError[] {
  const meant = new Set<string>();
  for (const e of errors) {
    const m = /^unknown key "[^"]*"; did you mean "([^"]+)"\?$/.exec(e.message);
    if (m && e.key) meant.add(`${e.key.replace(/\.?[^.[\]]+$/, '')}|${m[1]}`);
  }
  return errors.filter((e) => {
    const m = /^missing required key "([^"]+)"$/.exec(e.message);
    return !(m && meant.has(`${e.key ?? ''}|${m[1]}`));
  });
}

function dedupe(errors: RunbookError[]): RunbookError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const text = e.formatOne();
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
