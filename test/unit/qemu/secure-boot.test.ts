import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildQemuArgs, type VmSpec } from '../../../src/platform/qemu/args.js';
import { parseQemuOptions } from '../../../src/platform/qemu/config.js';
import { DEBIAN_SNAKEOIL } from '../../../src/platform/qemu/schema.js';
import { missingSecureBootFile } from '../../../src/platform/qemu/secure-boot/options.js';
import { buildSignedEsp, stubEnd, ukiSectionArgs } from '../../../src/platform/qemu/secure-boot/uki.js';

const spec: VmSpec = {
  name: 'e1-node0',
  accel: { accel: 'tcg', reason: 'test' },
  cores: 2,
  memoryMiB: 1024,
  disk: '/run/e1/disk.qcow2',
  sshPort: 40022,
  serialLog: '/run/e1/serial.log',
  qmpSocket: '/run/e1/qmp.sock',
  uefi: { code: '/fw/CODE.fd', vars: '/run/e1/VARS.fd', esp: '/c/esp.img', tpmDir: '/run/e1/tpm' },
};

const haveTools = ['objcopy', 'sbsign', 'sbverify', 'mcopy', 'mkfs.vfat'].every((t) => {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
const haveOvmf = !missingSecureBootFile({
  firmwareCode: DEBIAN_SNAKEOIL.firmware_code,
  firmwareVars: DEBIAN_SNAKEOIL.firmware_vars,
  signingKey: DEBIAN_SNAKEOIL.signing_key,
  signingCert: DEBIAN_SNAKEOIL.signing_cert,
  ukiStub: '/usr/lib/systemd/boot/efi/linuxx64.efi.stub',
  tpm: true,
});

describe('qemu profile secure_boot', () => {
  it('boots OVMF from pflash with the node its own variable store, the ESP read-only, a TPM, no -kernel', () => {
    const a = buildQemuArgs(spec);
    assert.ok(a.includes('if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd'));
    assert.ok(a.includes('if=pflash,format=raw,unit=1,file=/run/e1/VARS.fd'));
    assert.ok(a.includes('driver=raw,node-name=esp,read-only=on,file.driver=file,file.filename=/c/esp.img'));
    assert.ok(a.includes('virtio-blk-pci,drive=esp,addr=0x6,bootindex=0'));
    assert.ok(a.includes('socket,id=tpm0chr,path=/run/e1/tpm/swtpm.sock'));
    assert.ok(a.includes('tpm-tis,tpmdev=tpm0'));
    assert.ok(!a.includes('-kernel'));
    const noTpm = buildQemuArgs({ ...spec, uefi: { ...spec.uefi!, tpmDir: undefined } });
    assert.ok(!noTpm.includes('-tpmdev'));
  });

  it('defaults to Debian snakeoil keys, resolves own keys against the runbook, rejects the section elsewhere', () => {
    const d = parseQemuOptions({ options: { profile: 'secure_boot' } }).secureBoot!;
    assert.equal(d.signingKey, DEBIAN_SNAKEOIL.signing_key);
    assert.equal(d.keyPassword, 'snakeoil');
    assert.equal(d.tpm, true);
    const own = parseQemuOptions({
      baseDir: '/lab',
      options: {
        profile: 'secure_boot',
        secure_boot: { signing_key: 'keys/db.key', signing_cert: 'keys/db.pem', tpm: true },
      },
    }).secureBoot!;
    assert.equal(own.signingKey, '/lab/keys/db.key');
    assert.equal(own.keyPassword, undefined, 'the snakeoil password is not used for your own key');
    assert.equal(parseQemuOptions({ options: {} }).secureBoot, undefined);
    assert.throws(
      () => parseQemuOptions({ options: { secure_boot: { tpm: false } } }),
      /secure_boot[\s\S]*only with profile: secure_boot/,
    );
    assert.match(
      missingSecureBootFile({ ...d, firmwareVars: '/nonexistent/VARS.fd' }) ?? '',
      /qemu\.secure_boot\.firmware_vars: file not found: \/nonexistent\/VARS\.fd/,
    );
  });

  it('places each UKI section past the stub and past the one before it', () => {
    const headers = `Idx Name          Size      VMA               LMA               File off  Algn
  0 .text         0000bff0  0000000000004000  0000000000004000  00000400  2**4
  7 .sdmagic      00000034  0000000000019100  0000000000019100  00011200  2**2`;
    assert.equal(stubEnd(headers), 0x19134);
    const { vmas } = ukiSectionArgs(0x19134, [
      { name: '.osrel', file: 'o', size: 70 },
      { name: '.linux', file: 'k', size: 14 * 0x100000 + 5 },
      { name: '.initrd', file: 'i', size: 10 },
    ]);
    assert.equal(vmas['.osrel'], 0x100000);
    assert.equal(vmas['.linux'], 0x200000);
    assert.equal(vmas['.initrd'], 0x200000 + 15 * 0x100000);
  });

  it(
    'signs a UKI the snakeoil certificate verifies, puts it on an ESP, and reuses it',
    { skip: !(haveTools && haveOvmf) && 'needs ovmf, sbsigntool, systemd-boot-efi, mtools, dosfstools' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lisa-uki-'));
      writeFileSync(join(dir, 'vmlinuz'), Buffer.alloc(4096, 1));
      writeFileSync(join(dir, 'initrd'), Buffer.alloc(1024, 2));
      const sb = parseQemuOptions({ options: { profile: 'secure_boot' } }).secureBoot!;
      const input = {
        kernel: join(dir, 'vmlinuz'),
        initrd: join(dir, 'initrd'),
        cmdline: 'root=/dev/vda console=ttyS0',
        osRelease: 'ID=debian\n',
        secureBoot: sb,
        cacheDir: dir,
      };
      const first = await buildSignedEsp(input);
      assert.equal(first.cached, false);
      assert.ok(existsSync(first.espImage));
      const verified = execFileSync('sbverify', ['--cert', sb.signingCert, first.uki], { encoding: 'utf8' });
      assert.match(verified, /Signature verification OK/);
      const listing = execFileSync('mdir', ['-i', first.espImage, '::/EFI/BOOT'], { encoding: 'utf8' });
      assert.match(listing, /BOOTX64\s+EFI/);
      const sections = execFileSync('objdump', ['-h', first.uki], { encoding: 'utf8' });
      for (const s of ['.osrel', '.cmdline', '.linux', '.initrd']) assert.ok(sections.includes(s), s);
      assert.equal((await buildSignedEsp(input)).cached, true);
      assert.equal((await buildSignedEsp({ ...input, cmdline: 'root=/dev/vda fips=1' })).cached, false);
    },
  );
});
