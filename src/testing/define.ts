import type { TestCaseDefinition, TestSuiteDefinition } from './types.js';

/**
 * Declares a test suite. A suite file default-exports the result (or exports several suites):
 *
 *   export default defineSuite({ name: 'smoke', area: 'provisioning', cases: [ ... ] });
 *
 * The identity function exists so that TypeScript checks the object against the suite type.
 */
export function defineSuite(suite: TestSuiteDefinition): TestSuiteDefinition {
  return suite;
}

/** Declares one case; handy when cases live in their own files. */
export function defineCase(testCase: TestCaseDefinition): TestCaseDefinition {
  return testCase;
}
