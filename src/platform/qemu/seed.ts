import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../process/run-command.js';

/**
 * A cloud-init NoCloud seed ISO (volume label `cidata`), for existing cloud images: it carries the
 * run's public key and the node's hostname; images without cloud-init simply ignore the disk.
 */
export async function makeSeedIso(
  dir: string,
  opts: { hostname: string; username: string; publicKey: string },
): Promise<string> {
  const src = join(dir, 'seed');
  await mkdir(src, { recursive: true });
  await writeFile(
    join(src, 'meta-data'),
    `instance-id: ${opts.hostname}-${Date.now()}\nlocal-hostname: ${opts.hostname}\n`,
  );
  await writeFile(
    join(src, 'user-data'),
    [
      '#cloud-config',
      'users:',
      `  - name: ${opts.username}`,
      '    sudo: ALL=(ALL) NOPASSWD:ALL',
      '    shell: /bin/bash',
      '    ssh_authorized_keys:',
      `      - ${opts.publicKey}`,
      'ssh_pwauth: false',
      '',
    ].join('\n'),
  );
  const iso = join(dir, 'seed.iso');
  await runCommand('genisoimage', [
    '-quiet',
    '-output',
    iso,
    '-volid',
    'cidata',
    '-joliet',
    '-rock',
    join(src, 'user-data'),
    join(src, 'meta-data'),
  ]);
  return iso;
}
