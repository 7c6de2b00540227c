import { loadRunbook } from '../runbook/load.js';
import type { LoadedRunbook } from '../runbook/types.js';
import { suiteDirs } from '../orchestrator/suite-dirs.js';
import { loadSuites } from '../testing/loader.js';
import type { TestCaseInfo } from '../testing/types.js';

/**
 * Loads the runbook and the test suites it names. Suites (and so extension modules) load before
 * the runbook is validated, so that an extension can register a platform or notifier type that
 * the same runbook uses.
 */
export async function loadRunbookAndSuites(
  file: string,
  cliVariables: string[],
  checkFiles = true,
): Promise<{ runbook: LoadedRunbook; cases: TestCaseInfo[] }> {
  let cases: TestCaseInfo[] | undefined;
  const runbook = await loadRunbook(file, {
    cliVariables,
    env: process.env,
    checkFiles,
    beforeValidate: async (dirs, o) => {
      cases = await loadSuites(suiteDirs(dirs, o.importBuiltinTests));
    },
  });
  const first = runbook.combinations[0]!;
  cases ??= await loadSuites(suiteDirs(first.extension, first.importBuiltinTests));
  return { runbook, cases };
}
