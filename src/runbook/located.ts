/**
 * A YAML value tree that remembers where every part was written, so that errors found after
 * include-merging, variable substitution and combination expansion still point at the source.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { RunbookError } from './errors.js';
import { RUNBOOK_LIMITS } from './limits.js';

export interface Pos {
  /** The file as shown to users (relative to the working directory when below it). */
  file: string;
  /** Absolute path, for resolving relative paths written in that file. */
  absFile: string;
  line: number;
  col: number;
}

export interface LEntry {
  keyPos: Pos;
  node: LNode;
}

export type LNode =
  | { kind: 'map'; pos: Pos; entries: Map<string, LEntry> }
  | { kind: 'seq'; pos: Pos; items: LNode[] }
  | { kind: 'scalar'; pos: Pos; value: unknown };

export type PathPart = string | number;

export function fromYaml(doc: Document, lines: LineCounter, file: string, absFile: string): LNode {
  const posAt = (offset: number | undefined): Pos => {
    const { line, col } = lines.linePos(offset ?? 0);
    return { file, absFile, line, col };
  };
  let made = 0;
  // Counted as the tree is built, so an alias bomb stops after RUNBOOK_LIMITS.treeNodes nodes
  // instead of after it has filled memory; the error points at the alias being expanded.
  const grow = (node: { range?: [number, number, number] | null }, depth: number): void => {
    made++;
    const { line, col } = posAt(node.range?.[0]);
    if (made > RUNBOOK_LIMITS.treeNodes) {
      throw new RunbookError(
        `the document expands to more than ${RUNBOOK_LIMITS.treeNodes} values (YAML aliases that repeat each other?)`,
        file,
        line,
        col,
      );
    }
    if (depth > RUNBOOK_LIMITS.depth) {
      throw new RunbookError(`mappings and lists nest deeper than ${RUNBOOK_LIMITS.depth} levels`, file, line, col);
    }
  };
  const convert = (node: unknown, seen: Set<unknown>, depth = 0, via?: Node): LNode => {
    if (node && typeof node === 'object') grow(via ?? node, depth);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      // A self-referencing alias would recurse forever; report it instead.
      if (!target || seen.has(target)) {
        throw new RunbookError(
          `YAML alias *${node.source} cannot be resolved`,
          file,
          posAt(node.range?.[0]).line,
          posAt(node.range?.[0]).col,
        );
      }
      // Expanded in place (not copied afterwards), so every value it adds is counted against the limits.
      return relocate(convert(target, new Set([...seen, target]), depth, via ?? node), posAt(node.range?.[0]));
    }
    if (isMap(node)) {
      const entries = new Map<string, LEntry>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const keyPos = posAt(key?.range?.[0] ?? node.range?.[0]);
        if (key !== null && !isScalar(key)) {
          throw new RunbookError('mapping keys must be plain strings', file, keyPos.line, keyPos.col);
        }
        const name = keyText(key?.value);
        const value = pair.value as Node | null;
        const child =
          value === null ? { kind: 'scalar' as const, pos: keyPos, value: null } : convert(value, seen, depth + 1, via);
        entries.set(name, { keyPos, node: child });
      }
      return { kind: 'map', pos: posAt(node.range?.[0]), entries };
    }
    if (isSeq(node)) {
      const items = node.items.map((item) =>
        item === null
          ? { kind: 'scalar' as const, pos: posAt(node.range?.[0]), value: null }
          : convert(item, seen, depth + 1, via),
      );
      return { kind: 'seq', pos: posAt(node.range?.[0]), items };
    }
    if (isScalar(node)) return { kind: 'scalar', pos: posAt(node.range?.[0]), value: node.value };
    return { kind: 'scalar', pos: posAt(0), value: null };
  };
  return convert(doc.contents, new Set());
}

/** Builds a tree from a plain value (e.g. a variable's list), every part placed at `pos`. */
export function fromJS(value: unknown, pos: Pos): LNode {
  if (Array.isArray(value)) return { kind: 'seq', pos, items: value.map((v) => fromJS(v, pos)) };
  if (isPlainObject(value)) {
    const entries = new Map<string, LEntry>();
    for (const [k, v] of Object.entries(value)) entries.set(k, { keyPos: pos, node: fromJS(v, pos) });
    return { kind: 'map', pos, entries };
  }
  return { kind: 'scalar', pos, value };
}

/** Aliased content is reported where the alias was used, not where the anchor was defined. */
function relocate(node: LNode, pos: Pos): LNode {
  return fromJS(toJS(node), pos);
}

/** With `dropNulls`, `key:` left empty counts as not given, as users expect. */
export function toJS(node: LNode, dropNulls = false): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map((item) => toJS(item, dropNulls));
  const out: Record<string, unknown> = {};
  for (const [k, e] of node.entries) {
    if (dropNulls && e.node.kind === 'scalar' && e.node.value === null) continue;
    out[k] = toJS(e.node, dropNulls);
  }
  return out;
}

/** The deepest node on the path, and the position of the last key when the path names one. */
export function locate(root: LNode, path: readonly PathPart[]): { pos: Pos; keyPos?: Pos; found: boolean } {
  let node = root;
  let keyPos: Pos | undefined;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (node.kind === 'map' && node.entries.has(String(part))) {
      const entry = node.entries.get(String(part))!;
      keyPos = entry.keyPos;
      node = entry.node;
    } else if (node.kind === 'seq' && typeof part === 'number' && node.items[part]) {
      keyPos = undefined;
      node = node.items[part]!;
    } else {
      return { pos: node.pos, found: false };
    }
  }
  return { pos: node.pos, keyPos, found: true };
}

export function get(node: LNode | undefined, key: string): LNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key)?.node : undefined;
}

/** `testcase[1].criteria.priority` */
export function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

export function errorAt(pos: Pos, path: readonly PathPart[], message: string): RunbookError {
  return new RunbookError(message, pos.file, pos.line, pos.col, path.length ? formatPath(path) : undefined);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a value is described in "found ..." messages. */
/** YAML allows `1:` or `true:` as keys; they name the key spelled the same way. */
function keyText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (isPlainObject(v)) return 'a mapping';
  // Never shortened: a shortened secret would escape the masker.
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `${Number.isInteger(v) ? 'integer' : 'number'} ${v}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return typeof v;
}
