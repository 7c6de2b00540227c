/**
 * The `transformer:` section at load time: every entry checked, names unique, dependencies known
 * and acyclic (errors name file:line:key), and the variable names the outputs will take.
 */
import { RunbookError } from '../runbook/errors.js';
import { combine } from '../runbook/issues.js';
import { errorAt, locate, toJS, type LNode } from '../runbook/located.js';
import { check } from '../runbook/validate.js';
import { transformerType } from './registry.js';
import { fullEntrySchema, optionsOf, transformerEntrySchema } from './schema.js';
import type { TransformerPhase, TransformerType } from './types.js';

export interface TransformerEntry {
  index: number;
  type: string;
  name: string;
  phase: TransformerPhase;
  dependsOn: string[];
  prefix: string;
  rename: Record<string, string>;
  /** Output key → the variable it becomes. */
  variableOf: Record<string, string>;
  /** `file:line` of the entry. */
  where: string;
}

const PHASE_ORDER: Record<TransformerPhase, number> = { init: 0, expanded: 1, environment_connected: 2, cleanup: 3 };

/** Output variable names of every entry, read from the entries as written (no variables resolved). */
export function plannedOutputs(raw: LNode | undefined): Map<string, string> {
  const out = new Map<string, string>(); // variable -> transformer name
  if (raw?.kind !== 'seq') return out;
  for (const item of raw.items) {
    const js = toJS(item, true) as Record<string, unknown>;
    const t = typeof js?.type === 'string' ? transformerType(js.type) : undefined;
    if (!t) continue;
    const name = typeof js.name === 'string' ? js.name : t.type;
    for (const v of Object.values(variableNames(js, t, name))) out.set(v, name);
  }
  return out;
}

function variableNames(js: Record<string, unknown>, t: TransformerType, name: string): Record<string, string> {
  const prefix = typeof js.prefix === 'string' ? js.prefix : name;
  const rename = (js.rename && typeof js.rename === 'object' ? js.rename : {}) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const key of t.outputs(optionsOf(js))) {
    const full = prefix ? `${prefix}_${key}` : key;
    out[key] = rename[full] ?? full;
  }
  return out;
}

/** `root` is the runbook tree with variables substituted (outputs as placeholders). */
export function planTransformers(root: LNode): TransformerEntry[] {
  const data = check(transformerEntrySchema.array().optional(), root, ['transformer']) as
    | Record<string, unknown>[]
    | undefined;
  if (!data?.length) return [];
  const errors: RunbookError[] = [];
  const entries: TransformerEntry[] = data.map((js, index) => {
    const path = ['transformer', index];
    const t = transformerType(js.type as string)!;
    try {
      check(fullEntrySchema(t), root, path);
    } catch (e) {
      if (!(e instanceof RunbookError)) throw e;
      errors.push(e, ...e.more);
    }
    const name = (js.name as string | undefined) ?? t.type;
    const phase = (js.phase as TransformerPhase | undefined) ?? t.defaultPhase;
    if (t.phases && !t.phases.includes(phase)) {
      errors.push(
        at(root, [...path, 'phase'], `${t.type} cannot run in phase ${phase}; it runs in ${t.phases.join(', ')}`),
      );
    }
    const variableOf = variableNames(js, t, name);
    const prefix = (js.prefix as string | undefined) ?? name;
    const rename = (js.rename as Record<string, string> | undefined) ?? {};
    for (const from of Object.keys(rename)) {
      if (!Object.values(variableNames({ ...js, rename: {} }, t, name)).includes(from)) {
        errors.push(at(root, [...path, 'rename', from], `"${from}" is not an output of ${name}`));
      }
    }
    const pos = locate(root, path).pos;
    return {
      index,
      type: t.type,
      name,
      phase,
      dependsOn: (js.depends_on as string[] | undefined) ?? [],
      prefix,
      rename,
      variableOf,
      where: `${pos.file}:${pos.line}`,
    };
  });
  checkNames(root, entries, errors);
  if (errors.length) throw combine(errors);
  return order(root, entries);
}

function checkNames(root: LNode, entries: TransformerEntry[], errors: RunbookError[]): void {
  const byName = new Map<string, TransformerEntry>();
  for (const e of entries) {
    const first = byName.get(e.name);
    if (first)
      errors.push(
        at(
          root,
          ['transformer', e.index, 'name'],
          `transformer "${e.name}" is already defined at ${first.where}; give one a distinct name`,
        ),
      );
    else byName.set(e.name, e);
  }
  for (const e of entries) {
    e.dependsOn.forEach((dep, i) => {
      const target = byName.get(dep);
      const path = ['transformer', e.index, 'depends_on', i];
      if (!target)
        errors.push(at(root, path, `unknown transformer "${dep}"; defined: ${[...byName.keys()].join(', ')}`));
      else if (PHASE_ORDER[target.phase] > PHASE_ORDER[e.phase])
        errors.push(at(root, path, `"${dep}" runs in phase ${target.phase}, after this ${e.phase} transformer`));
    });
  }
}

/** Dependencies first, otherwise in the order written; a cycle is an error naming its path. */
function order(root: LNode, entries: TransformerEntry[]): TransformerEntry[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const done = new Set<string>();
  const out: TransformerEntry[] = [];
  const visit = (e: TransformerEntry, stack: TransformerEntry[]): void => {
    if (done.has(e.name)) return;
    const at0 = stack.indexOf(e);
    if (at0 >= 0) {
      const cycle = [...stack.slice(at0), e].map((x) => x.name).join(' -> ');
      const from = stack[stack.length - 1]!;
      throw at(
        root,
        ['transformer', from.index, 'depends_on', from.dependsOn.indexOf(e.name)],
        `dependency cycle: ${cycle}`,
      );
    }
    for (const dep of e.dependsOn) visit(byName.get(dep)!, [...stack, e]);
    done.add(e.name);
    out.push(e);
  };
  for (const e of entries) visit(e, []);
  return out;
}

function at(root: LNode, path: (string | number)[], message: string): RunbookError {
  const where = locate(root, path);
  return errorAt(where.keyPos ?? where.pos, path, message);
}
