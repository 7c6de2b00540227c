/** Applies `$(name)` expansion to every string of a located tree, keeping positions. */
import { fromJS, type LEntry, type LNode, type PathPart } from './located.js';
import type { VariableTable } from './variables.js';

export function substitute(node: LNode, vars: VariableTable, path: PathPart[] = []): LNode {
  if (node.kind === 'map') {
    const entries = new Map<string, LEntry>();
    for (const [key, entry] of node.entries) {
      entries.set(key, { keyPos: entry.keyPos, node: substitute(entry.node, vars, [...path, key]) });
    }
    return { ...node, entries };
  }
  if (node.kind === 'seq') return { ...node, items: node.items.map((item, i) => substitute(item, vars, [...path, i])) };
  if (typeof node.value !== 'string' || !node.value.includes('$(')) return node;
  // A list or mapping from a variable is placed where the reference was written.
  return fromJS(vars.expand(node.value, { pos: node.pos, path }), node.pos);
}
