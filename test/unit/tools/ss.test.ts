import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseSsListening } from '../../../tools/ss.js';
import { fixture } from '../../helpers/fixtures.js';

test('ss -ltnp without netid column, with process names', () => {
  const s = parseSsListening(fx('ss/ss-listen-p.txt'));
  assert.deepEqual(
    s.map((x) => [x.netid, x.localAddress, x.localPort]),
    [
      ['tcp', '0.0.0.0', 2024],
      ['tcp', '*', 5299],
    ],
  );
  assert.deepEqual(s[1]!.processes, ['iperf3']);
});

test('guest ss -ltunp: udp and tcp, IPv6 brackets and interface suffix', () => {
  const s = parseSsListening(fx('ss/guest-ss-ltunp.txt'));
  const dhcp = s.find((x) => x.localPort === 68)!;
  assert.equal(dhcp.netid, 'udp');
  assert.equal(dhcp.localAddress, '10.0.2.15');
  assert.equal(dhcp.iface, 'ens3');
  assert.ok(
    s.some((x) => x.netid === 'tcp' && x.localAddress === '::' && x.localPort === 22 && x.processes[0] === 'sshd'),
  );
  assert.ok(s.some((x) => x.localAddress === '::1' && x.localPort === 323));
  assert.equal(parseSsListening(fx('ss/ss-listen.txt'))[0]!.netid, 'tcp');
});
