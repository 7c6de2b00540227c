import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parsePasswd, parseShadow } from '../../../tools/accounts.js';
import { fixture } from '../../helpers/fixtures.js';

test('shadow: classified, never a hash', () => {
  const e = parseShadow(fx('accounts/guest-shadow.txt'));
  assert.deepEqual(
    e.find((x) => x.user === 'root'),
    { user: 'root', password: 'locked' },
  );
  assert.deepEqual(
    e.find((x) => x.user === 'lisa'),
    { user: 'lisa', password: 'locked' },
  );
  assert.ok(e.every((x) => x.password !== 'empty'));
  assert.ok(!JSON.stringify(parseShadow('u:$6$salt$hash:1::::::\n')).includes('$6$'));
  assert.equal(parseShadow('u:$6$salt$hash:1::::::\n')[0]!.password, 'hash');
});

test('shadow: empty password field and the node-side summary format', () => {
  assert.deepEqual(parseShadow('guest::20000:0:99999:7:::\n'), [{ user: 'guest', password: 'empty' }]);
  assert.deepEqual(
    parseShadow('root:locked\nops:hash\nx:empty\n').map((x) => x.password),
    ['locked', 'hash', 'empty'],
  );
  assert.ok(parseShadow(fx('accounts/host-shadow.txt')).length > 10);
});

test('passwd entries', () => {
  const p = parsePasswd(fx('accounts/guest-passwd.txt'));
  assert.deepEqual(p[0], { user: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' });
  assert.ok(p.some((x) => x.user === 'lisa' && x.uid === 1000));
});
