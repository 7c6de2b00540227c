/** The keys every transformer entry has, shaped like LISA's; each type adds its own beside them. */
import { z } from 'zod';
import { knownTransformerTypes, transformerType } from './registry.js';
import { TRANSFORMER_PHASES, type TransformerType } from './types.js';

const NAME = /^[\w-]+$/;

export const transformerCommonShape = {
  type: z.string().min(1).describe('The transformer type, e.g. script, kernel_installer'),
  name: z
    .string()
    .regex(NAME, 'names may contain letters, digits, `_` and `-` only')
    .optional()
    .describe('Default: the type'),
  phase: z
    .enum(TRANSFORMER_PHASES as [string, ...string[]])
    .optional()
    .describe('When it runs; default per type'),
  depends_on: z.array(z.string().min(1)).optional().describe('Names of transformers that must succeed first'),
  prefix: z
    .string()
    .regex(/^[\w-]*$/, 'a prefix may contain letters, digits, `_` and `-` only')
    .optional()
    .describe('Outputs become <prefix>_<key>; default: the name; "" for bare keys'),
  rename: z
    .record(z.string(), z.string().regex(NAME, 'variable names may contain letters, digits, `_` and `-` only'))
    .optional()
    .describe('Output variable renames, e.g. {kernel_installer_kernel_version: kernel_version}'),
  enabled: z.boolean().optional().describe('false skips the entry (default true)'),
};

/** The entry before its type is known: common keys checked, the rest left to the type. */
export const transformerEntrySchema = z.looseObject(transformerCommonShape).superRefine((entry, ctx) => {
  if (!transformerType(entry.type)) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `unknown transformer type "${entry.type}"; known: ${knownTransformerTypes().join(', ')}`,
    });
  }
});

/** The whole entry of one type: common keys plus the type's own, nothing else. */
export function fullEntrySchema(t: TransformerType): z.ZodObject {
  return z.strictObject({ ...transformerCommonShape, ...t.schema.shape });
}

export function optionsOf(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!(k in transformerCommonShape)) out[k] = v;
  return out;
}
