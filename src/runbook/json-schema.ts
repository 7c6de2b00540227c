/** The JSON Schema of runbooks for editors (`lisa schema`), generated from the zod schema. */
import { z } from 'zod';
import { runbookSchema } from './schema/runbook.js';

export function runbookJsonSchema(): object {
  return {
    ...z.toJSONSchema(runbookSchema(), { io: 'input', unrepresentable: 'any' }),
    title: 'lisa runbook',
    description: 'A lisa runbook: platform, environment, test case selection, variables and notifiers.',
  };
}
