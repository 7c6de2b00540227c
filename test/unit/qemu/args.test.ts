import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseAccel, type AccelFacts } from '../../../src/platform/qemu/accel.js';
import { buildQemuArgs, escapeOpt, privateMac, type VmSpec } from '../../../src/platform/qemu/args.js';

const tcg = { accel: 'tcg' as const, reason: 'test' };
const spec: VmSpec = {
  name: 'e1-node0',
  accel: tcg,
  cores: 2,
  memoryMiB: 1024,
  disk: '/run/e1/disk.qcow2',
  kernel: '/img/vmlinuz',
  initrd: '/img/initrd.img',
  sshPort: 40022,
  privateNet: { mcast: '230.77.1.1:5000', mac: '52:54:00:77:01:01' },
  serialLog: '/run/e1/serial.log',
  qmpSocket: '/run/e1/qmp.sock',
  fwCfg: [{ name: 'opt/lisa/authorized_keys', file: '/run/key.pub' }],
};

function after(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

describe('buildQemuArgs', () => {
  it('uses TCG with a bounded translation cache and the requested shape', () => {
    const a = buildQemuArgs(spec);
    assert.deepEqual(after(a, '-accel'), ['tcg,thread=multi,tb-size=128']);
    assert.deepEqual(after(a, '-smp'), ['2']);
    assert.deepEqual(after(a, '-m'), ['1024']);
    assert.ok(a.includes('-nodefaults'));
  });

  it('forwards SSH on loopback only and puts the private NIC on the mcast socket in slot 8', () => {
    const a = buildQemuArgs(spec);
    assert.ok(after(a, '-netdev').includes('user,id=n0,hostfwd=tcp:127.0.0.1:40022-:22'));
    assert.ok(after(a, '-netdev').includes('socket,id=n1,mcast=230.77.1.1:5000,localaddr=127.0.0.1'));
    assert.ok(after(a, '-device').includes('virtio-net-pci,netdev=n1,addr=0x8,mac=52:54:00:77:01:01'));
  });

  it('boots the kernel directly, logs the serial console to a file and hands the key over fw_cfg', () => {
    const a = buildQemuArgs(spec);
    assert.deepEqual(after(a, '-kernel'), ['/img/vmlinuz']);
    assert.match(after(a, '-append')[0]!, /console=ttyS0/);
    assert.deepEqual(after(a, '-chardev'), ['file,id=ser0,path=/run/e1/serial.log,append=on']);
    assert.deepEqual(after(a, '-fw_cfg'), ['name=opt/lisa/authorized_keys,file=/run/key.pub']);
    assert.deepEqual(after(a, '-qmp'), ['unix:/run/e1/qmp.sock,server=on,wait=off']);
  });

  it('keeps the guest-visible device set identical between a template and a warm clone', () => {
    const clone = buildQemuArgs({
      ...spec,
      sshPort: 41000,
      disk: '/x/o.qcow2',
      serialLog: '/x/s',
      qmpSocket: '/x/q',
      incoming: 'exec:cat /s',
    });
    const devices = (a: string[]) => after(a, '-device');
    assert.deepEqual(devices(clone), devices(buildQemuArgs(spec)));
    assert.deepEqual(after(clone, '-incoming'), ['exec:cat /s']);
  });

  it('omits direct kernel boot for self-booting disks and escapes commas in paths', () => {
    const a = buildQemuArgs({ ...spec, kernel: undefined, disk: '/a,b/disk.raw', diskFormat: 'raw' });
    assert.equal(a.includes('-kernel'), false);
    assert.ok(
      after(a, '-blockdev')[0]!.includes('driver=raw,') && after(a, '-blockdev')[0]!.includes('/a,,b/disk.raw'),
    );
    assert.equal(escapeOpt('x,y'), 'x,,y');
    assert.equal(privateMac(5, 2), '52:54:00:77:05:02');
  });

  it('attaches a cloud-init seed as a CD-ROM, not as another virtio disk', () => {
    const a = buildQemuArgs({ ...spec, seedIso: '/run/seed.iso' });
    assert.deepEqual(after(a, '-drive'), ['file=/run/seed.iso,if=ide,media=cdrom,format=raw,readonly=on']);
    assert.equal(after(a, '-device').filter((d) => d.startsWith('virtio-blk')).length, 1);
  });
});

describe('chooseAccel', () => {
  const base: AccelFacts = { cpuinfo: 'flags\t\t: fpu vme sse2\n', kvmDevice: true, kvmIntel: false, kvmAmd: false };
  it('refuses KVM without vmx/svm even when /dev/kvm exists (software nested hypervisor)', () => {
    const c = chooseAccel(base);
    assert.equal(c.accel, 'tcg');
    assert.match(c.reason, /no vmx\/svm/);
  });
  it('refuses KVM when the vendor module is not loaded', () => {
    assert.equal(chooseAccel({ ...base, cpuinfo: 'flags\t\t: fpu vmx\n' }).accel, 'tcg');
  });
  it('uses KVM with vmx and kvm_intel, and honours a forced choice', () => {
    assert.equal(chooseAccel({ ...base, cpuinfo: 'flags\t\t: fpu vmx\n', kvmIntel: true }).accel, 'kvm');
    assert.equal(chooseAccel({ ...base, cpuinfo: 'flags\t\t: fpu vmx\n', kvmIntel: true }, 'tcg').accel, 'tcg');
  });
});
