import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Throwaway local accounts for the loopback sshd. Root logins are avoided on purpose: root's
 * .bashrc here runs `pyenv init`, which adds 130-200 ms to every command.
 * Everything is idempotent and safe when several test processes set up at the same time.
 */
export const NOPASSWD_USER = 'lisatest';
/** A user whose sudo asks for the password. */
export const PASSWORD_SUDO_USER = 'lisapw';

const STATE_DIR = '/var/lib/lisa-test';
const SUDOERS_FILE = '/etc/sudoers.d/lisa-test';
const SUDOERS = `${NOPASSWD_USER} ALL=(ALL) NOPASSWD: ALL\n${PASSWORD_SUDO_USER} ALL=(ALL) ALL\n`;

export function requireRootAndTools(): void {
  if (!existsSync('/usr/sbin/sshd')) {
    throw new Error('the sshd test fixture needs OpenSSH server: run `apt-get install openssh-server`');
  }
  if (!existsSync('/usr/bin/sudo')) {
    throw new Error('the sshd test fixture needs sudo for the sudo tests: run `apt-get install sudo`');
  }
  if (process.getuid?.() !== 0) {
    throw new Error('the sshd test fixture must run as root (it creates test users and /run/sshd)');
  }
}

/** Creates the user when missing and returns its password (random, kept root-only across runs). */
export function ensureUser(name: string): string {
  // Another test process may be creating it right now (useradd then fails on the passwd lock).
  for (let i = 0; !userExists(name); i++) {
    const r = spawnSync('useradd', ['-m', '-s', '/bin/sh', name], { encoding: 'utf8' });
    if (r.status === 0 || userExists(name)) break;
    if (i >= 20) throw new Error(`useradd ${name} failed: ${r.stderr}`);
    execFileSync('sleep', ['0.1']);
  }
  const password = storedPassword(name);
  if (!passwordIsSet(name)) setPassword(name, password);
  return password;
}

export function ensureSudoers(): void {
  if (existsSync(SUDOERS_FILE) && readFileSync(SUDOERS_FILE, 'utf8') === SUDOERS) return;
  const tmp = `${SUDOERS_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, SUDOERS, { mode: 0o440 });
  renameSync(tmp, SUDOERS_FILE);
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

function storedPassword(name: string): string {
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  const file = `${STATE_DIR}/${name}.password`;
  try {
    // 'wx' fails when another process already wrote one, so every process agrees on one password.
    writeFileSync(file, `lisa-${randomBytes(9).toString('base64url')}`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (let i = 0; i < 50; i++) {
    const pw = readFileSync(file, 'utf8').trim();
    if (pw) return pw;
    execFileSync('sleep', ['0.02']);
  }
  throw new Error(`empty password file ${file}`);
}

function passwordIsSet(name: string): boolean {
  const line = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const hash = line?.split(':')[1] ?? '';
  return hash.startsWith('$');
}

function setPassword(name: string, password: string): void {
  // chpasswd fails while another process holds the shadow lock; retry briefly.
  for (let i = 0; ; i++) {
    const r = spawnSync('chpasswd', [], { input: `${name}:${password}\n`, encoding: 'utf8' });
    if (r.status === 0) return;
    if (i >= 20) throw new Error(`chpasswd for ${name} failed: ${r.stderr}`);
    execFileSync('sleep', ['0.1']);
  }
}
