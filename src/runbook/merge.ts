/**
 * How an including runbook combines with the runbooks it includes: its own keys win, rule-like
 * lists accumulate, and a platform entry of the same type is refined rather than replaced.
 */
import type { LEntry, LNode } from './located.js';

/** Included runbooks come first so the includer's rules, applied later, refine theirs. */
const ACCUMULATE = new Set(['testcase', 'notifier', 'extension']);

export function mergeRunbook(base: LNode & { kind: 'map' }, over: LNode & { kind: 'map' }): LNode & { kind: 'map' } {
  const entries = new Map(base.entries);
  for (const [key, entry] of over.entries) {
    const old = base.entries.get(key);
    if (old && ACCUMULATE.has(key) && old.node.kind === 'seq' && entry.node.kind === 'seq') {
      entries.set(key, {
        keyPos: entry.keyPos,
        node: { ...entry.node, items: [...old.node.items, ...entry.node.items] },
      });
    } else if (old && key === 'platform' && old.node.kind === 'seq' && entry.node.kind === 'seq') {
      entries.set(key, {
        keyPos: entry.keyPos,
        node: { ...entry.node, items: refinePlatforms(old.node.items, entry.node.items) },
      });
    } else {
      entries.set(key, entry);
    }
  }
  return { ...over, entries };
}

function refinePlatforms(base: LNode[], over: LNode[]): LNode[] {
  return over.map((item) => {
    const type = typeOf(item);
    const same = base.find((b) => type !== undefined && typeOf(b) === type);
    return same && same.kind === 'map' && item.kind === 'map' ? deepMerge(same, item) : item;
  });
}

function typeOf(node: LNode): unknown {
  const t = node.kind === 'map' ? node.entries.get('type')?.node : undefined;
  return t?.kind === 'scalar' ? t.value : undefined;
}

function deepMerge(base: LNode & { kind: 'map' }, over: LNode & { kind: 'map' }): LNode & { kind: 'map' } {
  const entries = new Map<string, LEntry>(base.entries);
  for (const [key, entry] of over.entries) {
    const old = base.entries.get(key);
    const merged = old?.node.kind === 'map' && entry.node.kind === 'map' ? deepMerge(old.node, entry.node) : entry.node;
    entries.set(key, { keyPos: entry.keyPos, node: merged });
  }
  return { ...over, entries };
}
