import type { Command } from 'commander';
import { runbookJsonSchema } from '../../runbook/json-schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of runbooks (for editor completion and checking)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(runbookJsonSchema(), null, 2)}\n`);
    });
}
