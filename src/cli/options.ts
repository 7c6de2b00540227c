import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface RunbookArgs {
  runbook?: string;
  variable: string[];
}

/** `-r FILE` / positional FILE and repeatable `-v name:value` (`-v s:name:value` for secrets). */
export function addRunbookOptions(cmd: Command): Command {
  return cmd
    .argument('[runbook]', 'runbook YAML file')
    .option('-r, --runbook <file>', 'runbook YAML file')
    .addOption(
      new Option('-v, --variable <name:value>', 'set a variable (s:name:value marks it secret); repeatable')
        .argParser((v: string, prev: string[] = []) => [...prev, v])
        .default([]),
    );
}

export function runbookPath(positional: string | undefined, opts: RunbookArgs): string {
  const file = opts.runbook ?? positional;
  if (!file) throw new UsageError('no runbook given: lisa run -r runbook.yml (or lisa run runbook.yml)');
  if (!existsSync(file)) throw new UsageError(`runbook ${file} does not exist`);
  for (const v of opts.variable) {
    if (!/^(s:)?[^:]+:/.test(v)) throw new UsageError(`-v ${v}: expected name:value or s:name:value`);
  }
  return file;
}
