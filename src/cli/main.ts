#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerHistory } from './commands/history.js';
import { registerList } from './commands/list.js';
import { registerMergeReports } from './commands/merge-reports.js';
import { registerPerfdump } from './commands/perfdump.js';
import { registerResume } from './commands/resume.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerQemuCommands } from './commands/qemu.js';
import { registerReap } from './commands/reap.js';
import { reportError } from './errors.js';

function version(): string {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '../../../package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

const program = new Command()
  .name('lisa')
  .description(
    'Validate Linux images and kernels: runbooks, parallel agentless SSH test execution, pluggable platforms and reports',
  )
  .version(version(), '-V, --version')
  .option('-d, --debug', 'verbose console logs')
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

// `lisa list | head` closes the pipe early: that is the reader being done, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

registerRun(program);
registerResume(program);
registerList(program);
registerCheck(program);
registerSchema(program);
registerHistory(program);
registerDiff(program);
registerMergeReports(program);
registerPerfdump(program);
registerQemuCommands(program);
registerReap(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; usage mistakes with 2.
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  process.exit(reportError(e, program.opts<{ debug?: boolean }>().debug ?? false));
}
