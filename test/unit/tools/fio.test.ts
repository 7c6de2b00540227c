import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseFioJson } from '../../../tools/fio.js';
import { fixture } from '../../helpers/fixtures.js';

test('fio JSON: per-direction iops, bandwidth and latency', () => {
  const [job] = parseFioJson(fx('fio/fio-randrw.json'));
  assert.equal(job!.name, 'randrw');
  assert.equal(job!.error, 0);
  assert.equal(Math.round(job!.read.iops), 14031);
  assert.equal(job!.read.bwBytesPerSecond, 57472298);
  assert.ok(job!.write.iops > 0);
  assert.ok(job!.read.latMeanNs > 0);
  assert.ok(job!.read.clatP99Ns! > 0);
});

test('fio warnings before the JSON are skipped', () => {
  const text = `fio: this platform does not support process shared mutexes\n${fx('fio/fio-randrw.json')}`;
  assert.equal(parseFioJson(text).length, 1);
  assert.throws(() => parseFioJson('fio: failed parsing'), /no JSON/);
});
