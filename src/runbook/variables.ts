/** Runbook variables: where they come from, their precedence, typing and `$(name)` expansion. */
import { parse as parseYaml } from 'yaml';
import { RunbookError } from './errors.js';
import { errorAt, type PathPart, type Pos } from './located.js';
import { RUNBOOK_LIMITS } from './limits.js';
import type { VariableValue } from './types.js';

export interface VarDef {
  name: string;
  value: unknown;
  isSecret: boolean;
  /** `cli`, `env:LISA_x`, `runbooks/a.yml:12`, `combinator`. */
  source: string;
  /** The text as typed, used inside longer strings so `-v kernel:6.10` never turns into `6.1`. */
  text?: string;
  /** LISA `is_case_visible` (or `CV_LISA_`), when the definition says; see VariableTable.caseVisible. */
  caseVisible?: boolean;
}

/** Sources the run itself sets (command line, combinator, transformer outputs): never hidden by default. */
const RUN_SOURCES = new Set(['cli', 'combinator', 'transformer', 'run']);

/** Where a `$(name)` was written, for the undefined-variable message. */
export interface Use {
  pos: Pos;
  path: PathPart[];
}

const NAME = /^[\w-]+$/;
// Like LISA, only word-like names: shell snippets such as `$(uname -r)` pass through untouched.
const REF = /\$\(([\w-]+)\)/g;
const WHOLE = /^\$\(([\w-]+)\)$/;

/** `4` → 4, `true` → true, but `6.10`, `1e3`, `0x10` stay strings: only lossless conversions. */
export function scalarFromText(text: string): unknown {
  try {
    const parsed: unknown = parseYaml(text);
    if ((typeof parsed === 'number' || typeof parsed === 'boolean') && String(parsed) === text) return parsed;
  } catch {
    // Not YAML at all: a plain string.
  }
  return text;
}

export function parseCliVariables(items: readonly string[]): VarDef[] {
  return items.map((item) => {
    const secret = /^s:[^:]+:/.test(item);
    const rest = secret ? item.slice(2) : item;
    const colon = rest.indexOf(':');
    const name = colon > 0 ? rest.slice(0, colon) : '';
    if (!NAME.test(name)) {
      // The value of an `s:` item is a secret: never echo it.
      const shown = item.startsWith('s:') ? item.replace(/^(s:[^:]*:).*$/, '$1******') : item;
      throw new RunbookError(`-v ${shown}: expected name:value or s:name:value`, '<command line>');
    }
    const text = rest.slice(colon + 1);
    return { name, value: scalarFromText(text), text, isSecret: secret, source: 'cli' };
  });
}

/** `LISA_x`, and as LISA: `S_LISA_x` is secret, `CV_LISA_x` is case visible. */
export function envVariables(env: Record<string, string | undefined>): VarDef[] {
  const defs: VarDef[] = [];
  for (const [key, text] of Object.entries(env)) {
    const prefix = /^(S_|CV_)?LISA_/.exec(key);
    const name = prefix ? key.slice(prefix[0].length) : '';
    if (!prefix || text === undefined || !NAME.test(name)) continue;
    const isSecret = prefix[1] === 'S_';
    defs.push({
      name,
      value: scalarFromText(text),
      text,
      isSecret,
      source: `env:${isSecret ? 'S_LISA_' + name : key}`,
      ...(prefix[1] === 'CV_' ? { caseVisible: true } : {}),
    });
  }
  return defs;
}

export class VariableTable {
  private readonly defs = new Map<string, VarDef>();
  private readonly secretNames = new Set<string>();
  private readonly secretValues = new Set<string>();
  /** Visibility declared for a name by any layer; a higher layer setting the value keeps it. */
  private readonly declaredVisible = new Map<string, boolean>();

  /**
   * `layers` from lowest to highest precedence: a later definition of a name wins. `budget` is
   * shared with every table made by `with`, bounding what one load may expand in all.
   */
  constructor(
    readonly layers: readonly VarDef[],
    private readonly budget = { chars: RUNBOOK_LIMITS.expandedChars * 16 },
  ) {
    for (const def of layers) {
      // Names are case-insensitive, as in LISA: `-v Location:x` sets `location`.
      this.defs.set(def.name.toLowerCase(), def);
      if (def.isSecret) {
        // A name declared secret stays secret when a higher layer (e.g. `-v`) sets its value.
        this.secretNames.add(def.name.toLowerCase());
        addSecret(this.secretValues, def.value);
      }
      if (def.caseVisible !== undefined) this.declaredVisible.set(def.name.toLowerCase(), def.caseVisible);
    }
  }

  /**
   * Whether test cases see the variable. A declared `is_case_visible` decides. Otherwise, once the
   * runbook uses LISA's model (some variable declared `is_case_visible: true` or set by
   * `CV_LISA_`), the runbook's and the environment's other variables stay out of cases as in
   * LISA; the command line, combinators and transformer outputs always reach them. Without that
   * model every variable reaches cases (lisa-ts suites are configured through variables).
   */
  caseVisible(name: string): boolean {
    const key = name.toLowerCase();
    const declared = this.declaredVisible.get(key);
    if (declared !== undefined) return declared;
    const def = this.defs.get(key);
    const lisaModel = [...this.declaredVisible.values()].some(Boolean);
    return !lisaModel || (def !== undefined && RUN_SOURCES.has(def.source.split(' ')[0]!));
  }

  with(extra: readonly VarDef[]): VariableTable {
    return new VariableTable([...this.layers, ...extra], this.budget);
  }

  has(name: string): boolean {
    return this.defs.has(name.toLowerCase());
  }

  resolve(written: string, use: Use, stack: string[] = []): unknown {
    const name = written.toLowerCase();
    const def = this.defs.get(name);
    if (!def) {
      const via = stack.length ? ` (used by variable "${stack[stack.length - 1]}")` : '';
      throw errorAt(use.pos, use.path, `undefined variable "${written}"${via}`);
    }
    if (stack.includes(name)) {
      throw errorAt(use.pos, use.path, `variable "${name}" refers to itself (${[...stack, name].join(' -> ')})`);
    }
    return typeof def.value === 'string' ? this.expand(def.value, use, [...stack, name]) : def.value;
  }

  /** Expands `$(name)` references; a string that is exactly one reference takes the value's type. */
  expand(text: string, use: Use, stack: string[] = []): unknown {
    const whole = WHOLE.exec(text);
    if (whole) return this.resolve(whole[1]!, use, stack);
    let size = text.length;
    return text.replace(REF, (ref: string, name: string) => {
      const def = this.defs.get(name.toLowerCase());
      const value = this.resolve(name, use, stack);
      const piece = def?.text !== undefined && value === def.value ? def.text : inlineText(value);
      // Checked per reference, so variables that each repeat the next one stop at the limit
      // instead of growing exponentially.
      size += piece.length - ref.length;
      this.budget.chars -= piece.length;
      if (size > RUNBOOK_LIMITS.expandedChars || this.budget.chars < 0) {
        const chain = [...stack, name].join(' -> ');
        throw errorAt(
          use.pos,
          use.path,
          size > RUNBOOK_LIMITS.expandedChars
            ? `expanding $(${name}) (${chain}) makes a value longer than ${RUNBOOK_LIMITS.expandedChars} characters`
            : `variable expansions in this runbook add up to more than ${RUNBOOK_LIMITS.expandedChars * 16} characters`,
        );
      }
      return piece;
    });
  }

  /** Every secret value: declared-secret names (whatever layer set them) and secret definitions. */
  secrets(): string[] {
    const out = new Set(this.secretValues);
    for (const name of this.secretNames) {
      try {
        addSecret(out, this.resolve(name, { pos: { file: '', absFile: '', line: 0, col: 0 }, path: [] }));
      } catch {
        // An unresolvable secret is reported where it is used; nothing to mask yet.
      }
    }
    return [...out];
  }

  /** The variables as recorded in a ResolvedRunbook; unresolvable ones keep their raw value. */
  snapshot(): Record<string, VariableValue> {
    const out: Record<string, VariableValue> = {};
    for (const [name, def] of this.defs) {
      let value = def.value;
      try {
        value = this.resolve(name, { pos: { file: '', absFile: '', line: 0, col: 0 }, path: [] });
      } catch {
        // Only an error where it is used.
      }
      out[def.name] = {
        value,
        isSecret: this.secretNames.has(name),
        isCaseVisible: this.caseVisible(name),
        source: def.source,
      };
    }
    return out;
  }
}

/** A value spliced into a longer string: scalars as written, lists and mappings as JSON. */
function inlineText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

function addSecret(into: Set<string>, value: unknown): void {
  if (Array.isArray(value)) return value.forEach((v) => addSecret(into, v));
  if (value === undefined || value === null || typeof value === 'object') return;
  const text = inlineText(value);
  if (text !== '') into.add(text);
}
