import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osInfoFromFields } from '../../../src/os/detect.js';
import { osMatches } from '../../../src/os/families.js';
import { checkCommandRuns, checkPackageState, choosePackage } from '../../../testsuites/packages/checks.js';
import suite from '../../../testsuites/packages/index.js';
import { failsWith } from '../../helpers/fixtures.js';

const debian = osInfoFromFields({ ID: 'debian', VERSION_ID: '12' });
const flatcar = osInfoFromFields({ ID: 'flatcar', ID_LIKE: 'coreos' });

test('the suite excludes immutable hosts and accepts Debian', () => {
  const req = suite.requirement!;
  assert.ok(osMatches(debian, req.supportedOs!));
  assert.ok(!osMatches(debian, req.unsupportedOs!));
  assert.ok(osMatches(flatcar, req.unsupportedOs!));
});

test('package choice and variable override', () => {
  assert.equal(choosePackage(debian, undefined), 'tree');
  assert.equal(choosePackage(debian, 'sl'), 'sl');
  failsWith(() => choosePackage(debian, 42), /variable test_package: expected a package name, found 42/);
});

test('state checks name the step, the package manager and both states', () => {
  checkPackageState('vm1', 'apt', 'tree', 'install', true, true);
  checkPackageState('vm1', 'apt', 'tree', 'remove', false, false);
  failsWith(
    () => checkPackageState('vm1', 'apt', 'tree', 'install', true, false),
    /tree on vm1 after apt install: expected installed, found not installed/,
  );
  failsWith(
    () => checkPackageState('vm1', 'dnf', 'tree', 'remove', false, true),
    /tree on vm1 after dnf remove: expected not installed, found installed/,
  );
  checkCommandRuns('vm1', 'tree', 0, 'tree v2.1.0');
  failsWith(
    () => checkCommandRuns('vm1', 'tree', 127, 'sh: 1: tree: not found\n'),
    /tree on vm1 after installing it: expected exit code 0, found exit code 127: sh: 1: tree: not found/,
  );
});
