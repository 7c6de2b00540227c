/** Transformer types by name: the built-ins plus whatever extension modules register. */
import type { TransformerType } from './types.js';

const types = new Map<string, TransformerType>();

export function registerTransformer<S extends TransformerType['schema']>(t: TransformerType<S>): void {
  if (types.has(t.type)) throw new Error(`transformer type "${t.type}" is already registered`);
  types.set(t.type, t);
}

export function transformerType(type: string): TransformerType | undefined {
  return types.get(type);
}

export function knownTransformerTypes(): string[] {
  return [...types.keys()].sort();
}
