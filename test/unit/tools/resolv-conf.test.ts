import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseResolvConf } from '../../../tools/resolv-conf.js';
import { fixture } from '../../helpers/fixtures.js';

test('resolv.conf of the host', () => {
  assert.deepEqual(parseResolvConf(fx('resolv-conf/resolv-host.conf')).nameservers, ['10.255.255.53']);
});

test('systemd-resolved stub, search and options, comments', () => {
  const c = parseResolvConf(
    '# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch a.example b.example ; x\n',
  );
  assert.deepEqual(c, {
    nameservers: ['127.0.0.53'],
    search: ['a.example', 'b.example'],
    options: ['edns0', 'trust-ad'],
    usesResolvedStub: true,
  });
});
