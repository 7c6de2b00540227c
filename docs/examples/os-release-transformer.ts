/**
 * A worked example of a transformer plugin: reads /etc/os-release on the nodes of each
 * environment before its cases and hands ID and VERSION_ID on as variables.
 *
 * Runbook:
 *   extension:
 *     - ./plugins              # a module there imports this file, which registers the type
 *   transformer:
 *     - type: os_release
 *       phase: environment_connected
 *       keys: [ID, VERSION_ID]     # outputs os_release_id, os_release_version_id
 */
import { z } from 'zod';
import { defineTransformer, registerTransformer, TransformerStepError } from 'lisa-ts';

const KEY = /^[A-Z_]+$/;

export const osReleaseTransformer = defineTransformer({
  type: 'os_release',
  description: 'Reads /etc/os-release fields of the first node as variables',
  schema: z.object({
    keys: z.array(z.string().regex(KEY, 'os-release keys are upper case, e.g. VERSION_ID')).min(1),
  }),
  defaultPhase: 'environment_connected',
  phases: ['environment_connected'],
  // Known before the run, so `$(os_release_version_id)` may be used anywhere in the runbook.
  outputs: (options) => (Array.isArray(options.keys) ? options.keys.map((k) => String(k).toLowerCase()) : []),
  async run(options, ctx) {
    const node = ctx.nodes[0]!;
    const text = await node.readFile('/etc/os-release');
    const fields = new Map(
      text
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
    );
    const out: Record<string, string> = {};
    for (const key of options.keys) {
      const value = fields.get(key);
      if (value === undefined) throw new TransformerStepError('read', `${node.name} has no ${key} in /etc/os-release`);
      out[key.toLowerCase()] = value;
      ctx.log.info(`${node.name}: ${key}=${value}`);
    }
    return out;
  },
});

registerTransformer(osReleaseTransformer);
