import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseDigShort, parseGetentHosts, parseHostOutput } from '../../../tools/dns.js';
import { fixture } from '../../helpers/fixtures.js';

test('getent hosts / ahosts', () => {
  assert.deepEqual(parseGetentHosts(fx('dns/getent-ok.txt')), ['203.0.113.80']);
  assert.deepEqual(parseGetentHosts(fx('dns/getent-miss.txt')), []);
  assert.deepEqual(parseGetentHosts(fx('dns/getent-ahosts.txt')), ['203.0.113.80', '127.0.0.1']);
  assert.deepEqual(parseGetentHosts('::1             localhost ip6-localhost\n'), ['::1']);
});

test('host and dig +short', () => {
  assert.deepEqual(parseHostOutput(fx('dns/host-ok.txt')), ['203.0.113.80']);
  assert.deepEqual(parseHostOutput(fx('dns/host-miss.txt')), []);
  assert.deepEqual(parseDigShort(fx('dns/dig-ok.txt')), ['203.0.113.80']);
  assert.deepEqual(parseDigShort('cdn.example.\n198.51.100.7\n'), ['198.51.100.7']);
  assert.deepEqual(parseDigShort(fx('dns/dig-miss.txt')), []);
});
