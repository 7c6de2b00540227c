import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAaStatusJson, parseAppArmorEnabled } from '../../../tools/apparmor.js';
import { fixture } from '../../helpers/fixtures.js';

const fx = (p: string): string => fixture(`tools/${p}`);

test('aa-status --json of the Debian 12 guest', () => {
  assert.deepEqual(parseAaStatusJson(fx('apparmor/guest-aa-status.json')), {
    profiles: { enforce: 4, complain: 0, other: 0 },
    processes: { enforce: 0, complain: 0, unconfined: 2 },
  });
});

test('kernel parameter', () => {
  assert.equal(parseAppArmorEnabled('Y\n'), true);
  assert.equal(parseAppArmorEnabled('N\n'), false);
  assert.equal(parseAppArmorEnabled(''), false);
});
