/**
 * LISA's `enabled:` on any list entry (a testcase rule, notifier, platform, transformer,
 * extension...): `enabled: false` drops the entry as if it were not written, `enabled: true` is
 * the default. Applied after variable substitution, because LISA's runbooks write
 * `enabled: $(enable_tests)`.
 */
import { errorAt, type LNode } from './located.js';

export function dropDisabled(node: LNode): LNode {
  if (node.kind === 'scalar') return node;
  if (node.kind === 'map') {
    const entries = new Map([...node.entries].map(([k, e]) => [k, { ...e, node: dropDisabled(e.node) }]));
    return { ...node, entries };
  }
  const items: LNode[] = [];
  for (const item of node.items) {
    const flag = item.kind === 'map' ? item.entries.get('enabled') : undefined;
    if (!flag || item.kind !== 'map') {
      items.push(dropDisabled(item));
      continue;
    }
    if (!enabledValue(flag.node)) continue;
    const rest = new Map([...item.entries].filter(([k]) => k !== 'enabled'));
    items.push(dropDisabled({ ...item, entries: rest }));
  }
  return { ...node, items };
}

/** YAML booleans, and the strings LISA's Python `bool`-like parsing takes (`True`, `false`, ...). */
function enabledValue(node: LNode): boolean {
  const value = node.kind === 'scalar' ? node.value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false|yes|no)$/i.test(value)) return /^(true|yes)$/i.test(value);
  throw errorAt(node.pos, ['enabled'], 'enabled must be true or false');
}
