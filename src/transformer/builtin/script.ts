/**
 * `script`: commands on the host or on every node of the environment, in any phase; the trimmed
 * stdout of a command with `output:` becomes a variable (for "modifying all test environments").
 */
import { z } from 'zod';
import type { Node } from '../../node/types.js';
import { defineTransformer, TransformerStepError, type TransformerContext } from '../types.js';

const step = z.strictObject({
  run: z.string().min(1).describe('A shell command (sh -c)'),
  output: z
    .string()
    .regex(/^[\w-]+$/, 'an output name may contain letters, digits, `_` and `-` only')
    .optional()
    .describe('Its trimmed stdout becomes the output <prefix>_<output>'),
  expected_exit_code: z.number().int().optional().describe('Default 0'),
});

export const scriptSchema = z.object({
  scripts: z.array(step).min(1).describe('Run in order; the first failure stops the transformer'),
  on: z.enum(['host', 'nodes']).optional().describe('Default: nodes in environment_connected, else host'),
  sudo: z.boolean().optional(),
  timeout: z.number().positive().optional().describe('Seconds per command, default 600'),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export const scriptTransformer = defineTransformer({
  type: 'script',
  description: 'Runs shell commands on the host or on the nodes; captures outputs as variables',
  schema: scriptSchema,
  defaultPhase: 'init',
  outputs: (options) =>
    Array.isArray(options.scripts)
      ? options.scripts.flatMap((s: { output?: unknown }) => (typeof s?.output === 'string' ? [s.output] : []))
      : [],
  async run(options, ctx) {
    const onNodes = (options.on ?? (ctx.phase === 'environment_connected' ? 'nodes' : 'host')) === 'nodes';
    if (onNodes && ctx.nodes.length === 0) {
      throw new TransformerStepError('on: nodes', `phase ${ctx.phase} has no nodes; use phase environment_connected`);
    }
    const targets = onNodes ? ctx.nodes : [ctx.host];
    const outputs: Record<string, string> = {};
    for (const [i, node] of targets.entries()) {
      const got = await runSteps(options, node, ctx);
      // Every node runs the same steps; the first node's values are the outputs.
      if (i === 0) Object.assign(outputs, got);
      else
        for (const [k, v] of Object.entries(got))
          if (v !== outputs[k]) ctx.log.warn(`output ${k} differs on ${node.name}: ${v} (kept ${outputs[k]})`);
    }
    return outputs;
  },
});

async function runSteps(
  options: z.output<typeof scriptSchema>,
  node: Node,
  ctx: TransformerContext,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, s] of options.scripts.entries()) {
    ctx.log.info(`${node.name}$ ${s.run}`);
    const r = await node.execute(s.run, {
      sudo: options.sudo,
      timeoutMs: (options.timeout ?? 600) * 1000,
      cwd: options.cwd,
      env: options.env,
      signal: ctx.signal,
      noErrorLog: true,
    });
    if (r.stdout.trim()) ctx.log.info(r.stdout.trimEnd());
    if (r.stderr.trim()) ctx.log.info(`stderr: ${r.stderr.trimEnd()}`);
    const expected = s.expected_exit_code ?? 0;
    if (r.exitCode !== expected) {
      const tail = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n');
      const why = r.timedOut ? 'timed out' : `exited with ${r.exitCode}, expected ${expected}`;
      throw new TransformerStepError(`scripts[${i}] on ${node.name}`, `\`${s.run}\` ${why}${tail ? `: ${tail}` : ''}`);
    }
    if (s.output) out[s.output] = r.stdout.trim();
  }
  return out;
}
