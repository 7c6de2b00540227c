import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../process/run-command.js';

export interface RunKey {
  privateKeyFile: string;
  publicKeyFile: string;
  privateKey: string;
  publicKey: string;
}

/**
 * One key pair per run, never stored in an image. The comment is fixed so the public key file
 * always has the same length: a warm-restored guest keeps the fw_cfg directory (with sizes) it
 * read at boot, and a longer key would be cut short.
 */
export async function ensureRunKey(dir: string): Promise<RunKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateKeyFile = join(dir, 'id_ed25519');
  if (!existsSync(privateKeyFile)) await generateKeyPair(dir, privateKeyFile);
  return {
    privateKeyFile,
    publicKeyFile: `${privateKeyFile}.pub`,
    privateKey: await readFile(privateKeyFile, 'utf8'),
    publicKey: (await readFile(`${privateKeyFile}.pub`, 'utf8')).trim(),
  };
}

/**
 * Made aside and moved in, public half first: ssh-keygen asks before overwriting (and fails without
 * a terminal), so two callers racing on one directory must never both write the final path.
 */
async function generateKeyPair(dir: string, privateKeyFile: string): Promise<void> {
  const scratch = await mkdtemp(join(dir, '.keygen-'));
  try {
    const fresh = join(scratch, 'id_ed25519');
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lisa-run-key', '-f', fresh]);
    if (existsSync(privateKeyFile)) return;
    await rename(`${fresh}.pub`, `${privateKeyFile}.pub`);
    await rename(fresh, privateKeyFile);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
