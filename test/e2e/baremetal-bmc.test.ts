import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IpmiBmc } from '../../src/platform/baremetal/ipmi.js';
import { Machine } from '../../src/platform/baremetal/machine.js';
import { RedfishBmc } from '../../src/platform/baremetal/redfish.js';
import type { MachineConfig } from '../../src/platform/baremetal/schema.js';
import { freeLoopbackPort } from '../../src/platform/qemu/ports.js';
import { labUp, type BaremetalLab } from '../helpers/baremetal-lab.js';
import { startRedfishService, type RedfishService } from '../helpers/redfish-service.js';

/** The BMC clients against a real ipmi_sim and the Redfish test service, without booting anything. */
describe('bare-metal BMC clients', { timeout: 5 * 60_000 }, () => {
  let lab: BaremetalLab;
  let redfish: RedfishService;
  const ipmi = (password: string, port?: number) =>
    new IpmiBmc('server1', {
      host: '127.0.0.1',
      port: port ?? lab.ipmiPort,
      user: 'lisa',
      password,
      cipher_suite: 3,
      timeout: 10,
    });

  before(async () => {
    lab = await labUp('lisa-bmc-');
    mkdirSync(join(lab.dir, 'redfish'));
    redfish = await startRedfishService({
      labDir: lab.dir,
      ipmiPort: lab.ipmiPort,
      user: 'lisa',
      password: lab.password,
      certDir: join(lab.dir, 'redfish'),
    });
  });
  after(async () => {
    await redfish?.close();
    lab?.down();
  });

  it('IPMI: reads the power state and sets the next boot device', async () => {
    const bmc = ipmi(lab.password);
    assert.equal(await bmc.powerState(), 'off');
    await bmc.setBootDevice('pxe');
    assert.equal(readFileSync(join(lab.dir, 'next-boot'), 'utf8').trim(), 'pxe');
  });

  it('IPMI: a wrong password and a dead BMC are one-line errors naming machine and BMC', async () => {
    await assert.rejects(ipmi('wrong-password').powerState(), (e: Error) => {
      assert.equal(
        e.message,
        `machine server1: BMC ipmi 127.0.0.1:${lab.ipmiPort}: login rejected for user lisa (RAKP 2 HMAC is invalid)`,
      );
      return true;
    });
    const dead = await freeLoopbackPort();
    await assert.rejects(ipmi(lab.password, dead).powerState(), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`^machine server1: BMC ipmi 127\\.0\\.0\\.1:${dead}: no answer to \`chassis power status\``),
      );
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  });

  it('a BMC that reports the power state unchanged after power on is named as such', async () => {
    // The lab server's power supply "fails": power on is acknowledged but nothing starts.
    const start = join(lab.dir, 'start-machine.sh');
    const original = readFileSync(start, 'utf8');
    writeFileSync(start, '#!/bin/sh\nexit 0\n');
    try {
      const m = new Machine({ name: 'server1' } as MachineConfig, ipmi(lab.password), undefined, () => {});
      await m.bmc.powerOn();
      await assert.rejects(
        m.waitPower('on', undefined, 3000),
        /: machine server1: BMC ipmi 127\.0\.0\.1:\d+: power state still off 3 s after power on$/,
      );
    } finally {
      writeFileSync(start, original);
    }
  });

  it('Redfish: power state, boot override, and clear login and certificate errors', async () => {
    const cfg = { url: redfish.url, user: 'lisa', password: lab.password, ca_file: redfish.caFile };
    const bmc = new RedfishBmc('server1', cfg);
    assert.equal(await bmc.powerState(), 'off');
    await bmc.setBootDevice('disk');
    assert.equal(readFileSync(join(lab.dir, 'next-boot'), 'utf8').trim(), 'default');
    await bmc.setBootDevice('pxe');
    assert.equal(readFileSync(join(lab.dir, 'next-boot'), 'utf8').trim(), 'pxe');
    await assert.rejects(
      new RedfishBmc('server1', { ...cfg, password: 'wrong' }).powerState(),
      new RegExp(
        `: machine server1: BMC redfish ${redfish.url.replace(/[.]/g, '\\.')}: login rejected for user lisa \\(GET /redfish/v1/Systems: HTTP 401\\)$`,
      ),
    );
    await assert.rejects(
      new RedfishBmc('server1', { ...cfg, ca_file: undefined }).powerState(),
      /set bmc\.redfish\.ca_file/,
    );
  });
});
