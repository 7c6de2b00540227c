import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseStressNgBrief, parseStressNgYaml } from '../../../tools/stress-ng.js';
import { fixture } from '../../helpers/fixtures.js';

test('stress-ng --yaml metrics', () => {
  const m = parseStressNgYaml(fx('stress-ng/stress-ng.yaml'));
  assert.deepEqual(
    m.map((x) => x.stressor),
    ['cpu', 'vm'],
  );
  assert.equal(m[0]!.bogoOps, 3398);
  assert.ok(Math.abs(m[0]!.bogoOpsPerSecondRealTime - 1132.626071) < 1e-6);
});

test('stress-ng --metrics-brief lines agree with the YAML', () => {
  const m = parseStressNgBrief(fx('stress-ng/stress-ng.out'));
  assert.deepEqual(
    m.map((x) => [x.stressor, x.bogoOps, x.bogoOpsPerSecondRealTime]),
    [
      ['cpu', 3398, 1132.63],
      ['vm', 81542, 27132.56],
    ],
  );
});
