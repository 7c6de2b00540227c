import { builtinSuiteDir } from '../testing/loader.js';

/** The directories suites load from: the built-in ones unless `import_builtin_tests: false`, then the extensions. */
export function suiteDirs(extension: readonly string[], importBuiltinTests: boolean): string[] {
  return importBuiltinTests ? [builtinSuiteDir(), ...extension] : [...extension];
}
