import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { journalArgs, parseJournalJson } from '../../../tools/journalctl.js';

const fx = (f: string) => fixture(`tools/journalctl/${f}`);

test('journalctl -o json -p 3 on the guest: the one benign pam_env error', () => {
  const e = parseJournalJson(fx('debian12-guest-err.jsonl'));
  assert.equal(e.length, 1);
  assert.deepEqual(
    {
      message: e[0]!.message,
      priority: e[0]!.priority,
      unit: e[0]!.unit,
      identifier: e[0]!.identifier,
      transport: e[0]!.transport,
      pid: e[0]!.pid,
    },
    {
      message: 'pam_env(sshd:session): Unable to open env file: /etc/default/locale: No such file or directory',
      priority: 3,
      unit: 'ssh.service',
      identifier: 'sshd',
      transport: 'syslog',
      pid: 319,
    },
  );
  assert.equal(e[0]!.bootId, 'f4eef332a59b481795b29c5bf7d7415d');
  assert.equal(e[0]!.timestampUs, 1795334605728175);
});

test('journalctl warnings include kernel transport lines', () => {
  const e = parseJournalJson(fx('debian12-guest-warning.jsonl'));
  assert.equal(e.length, 8);
  assert.ok(e.some((x) => x.transport === 'kernel' && /MTRR/.test(x.message)));
  assert.ok(e.every((x) => x.priority <= 4));
  assert.equal(parseJournalJson(fx('debian12-guest-tail.jsonl')).length, 50);
});

test('binary MESSAGE fields (byte arrays) are decoded', () => {
  const e = parseJournalJson('{"MESSAGE":[104,105,0],"PRIORITY":"3"}\n');
  assert.equal(e[0]!.message, 'hi\u0000');
});

test('query arguments', () => {
  assert.equal(journalArgs(), '-o json --no-pager -q -b 0');
  assert.equal(
    journalArgs({ priority: 3, boot: -1, unit: 'ssh.service', lines: 100 }),
    '-o json --no-pager -q -b -1 -p 3 -u ssh.service -n 100',
  );
  assert.equal(
    journalArgs({ boot: 'all', kernelOnly: true, since: '-10min' }),
    '-o json --no-pager -q --since -10min -k',
  );
});
