import { expectTrue, fail } from '../../src/testing/assert.js';
import type { OsInfo } from '../../src/os/types.js';

/**
 * A small package with no services, present in the main repositories of every supported family,
 * so installing and removing it has no side effects.
 */
export const TEST_PACKAGES: Record<string, string> = {
  default: 'tree',
  // Photon's and Azure Linux's base repositories carry `tree` too; listed for clarity.
  photon: 'tree',
  azurelinux: 'tree',
};

export function choosePackage(os: OsInfo, override: unknown): string {
  if (typeof override === 'string' && override) return override;
  if (override !== undefined && override !== null && override !== '') {
    fail('variable test_package', 'a package name', JSON.stringify(override));
  }
  return os.families.map((f) => TEST_PACKAGES[f]).find(Boolean) ?? TEST_PACKAGES.default!;
}

/** After `step`, the package manager reports the package installed (or not) as expected. */
export function checkPackageState(
  nodeName: string,
  manager: string,
  pkg: string,
  step: string,
  expectInstalled: boolean,
  installed: boolean,
): void {
  expectTrue(
    `${pkg} on ${nodeName} after ${manager} ${step}`,
    installed === expectInstalled,
    expectInstalled ? 'installed' : 'not installed',
    installed ? 'installed' : 'not installed',
  );
}

/** The installed command works: proves the package's files landed, not just the database entry. */
export function checkCommandRuns(nodeName: string, command: string, exitCode: number, output: string): void {
  expectTrue(
    `${command} on ${nodeName} after installing it`,
    exitCode === 0,
    'exit code 0',
    `exit code ${exitCode}: ${output.trim().split('\n').slice(-3).join(' | ')}`,
  );
}
