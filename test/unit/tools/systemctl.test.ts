import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseListUnits, parseListUnitsJson } from '../../../tools/systemctl.js';
import { fixture } from '../../helpers/fixtures.js';

test('failed units, plain and JSON, from a degraded guest', () => {
  const expected = [
    { unit: 'lisa-broken-demo.service', load: 'loaded', active: 'failed', sub: 'failed', description: '/bin/false' },
  ];
  assert.deepEqual(parseListUnits(fx('systemctl/failed-units-plain.txt')), expected);
  assert.deepEqual(parseListUnitsJson(fx('systemctl/failed-units.json')), expected);
  assert.deepEqual(parseListUnits(fx('systemctl/failed-units-none.txt')), []);
});

test('older systemd marks failed units with a bullet', () => {
  const u = parseListUnits(
    '● cloud-init.service loaded failed failed Initial cloud-init job (metadata service crawler)\n',
  );
  assert.equal(u[0]!.unit, 'cloud-init.service');
  assert.equal(u[0]!.description, 'Initial cloud-init job (metadata service crawler)');
});
