import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  unlinkSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { SshConnectionInfo } from '../../src/node/types.js';
import { freePort, isRunning, killTree, signalTree, sshBanner } from './ssh-proc.js';
import { NOPASSWD_USER, PASSWORD_SUDO_USER, ensureSudoers, ensureUser, requireRootAndTools } from './ssh-users.js';
import { ed25519KeyPair } from './ssh-keys.js';

export interface SshdOptions {
  /** Log in as a user whose sudo needs the password (default: passwordless sudo). */
  sudoNeedsPassword?: boolean;
  /** sshd MaxSessions (channels per connection); default 100. */
  maxSessions?: number;
  /** No SFTP subsystem (like dropbear without sftp-server): file transfer must fall back to cat. */
  noSftp?: boolean;
  /**
   * Make the node's own reboot path work unchanged, as on a real machine: sshd runs in a private
   * mount namespace where /proc/sys/kernel/random/boot_id is the fixture's file and `systemctl` /
   * `reboot` (first on sudo's secure_path, in /usr/local/sbin) ask the fixture to restart sshd with
   * a new boot id. SshNode's default reboot and boot-id commands then "reboot" the node.
   */
  namespacedReboot?: boolean;
}

/**
 * A real OpenSSH sshd on a free loopback port, with throwaway host and user keys in a temp dir.
 * Boot ids are faked: `bootIdCommand` reads a file that `restart()` rewrites, and running
 * `rebootCommand` on the node makes the fixture restart sshd with a new boot id, so
 * `new SshNode({..., bootIdCommand, rebootCommand}).reboot()` can be tested end to end.
 */
export interface Sshd {
  host: '127.0.0.1';
  port: number;
  username: string;
  password: string;
  privateKeyFile: string;
  privateKey: string;
  /** base64 of the raw host key, as SshNode.hostKey reports it. */
  hostKey: string;
  dir: string;
  bootIdFile: string;
  bootIdCommand: string;
  rebootCommand: string;
  /** Connection info with key auth; override any field. */
  connection(overrides?: Partial<SshConnectionInfo>): SshConnectionInfo;
  /** Simulated reboot: drop every connection, keep the port closed for `downMs`, new boot id. */
  restart(options?: { downMs?: number; newBootId?: boolean }): Promise<void>;
  /** Drops every connection abruptly (kills sshd and its sessions), then listens again at once. */
  kill(): Promise<void>;
  /** Freezes sshd and its sessions (SIGSTOP): a hung node whose TCP connections stay open. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

const live = new Set<() => void>();

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  requireRootAndTools();
  const username = options.sudoNeedsPassword ? PASSWORD_SUDO_USER : NOPASSWD_USER;
  const password = ensureUser(username);
  ensureSudoers();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = mkdtempSync(join(tmpdir(), 'lisa-sshd-'));
  let proc: ChildProcess | undefined;
  const drop = (): void => {
    if (proc?.pid && isRunning(proc.pid)) killTree(proc.pid);
  };
  const cleanup = (): void => {
    signalTree(proc?.pid, 'SIGCONT');
    drop();
    rmSync(dir, { recursive: true, force: true });
  };
  // Registered first, so that nothing is left behind whatever fails below.
  live.add(cleanup);
  installExitHooks();
  // The user's side of sshd (authorized_keys, the fake boot id) reads files here.
  chmodSync(dir, 0o755);
  const hostPair = ed25519KeyPair();
  const userPair = ed25519KeyPair();
  writeFileSync(join(dir, 'host_key'), hostPair.private, { mode: 0o600 });
  writeFileSync(join(dir, 'id_ed25519'), userPair.private, { mode: 0o600 });
  writeFileSync(join(dir, 'authorized_keys'), `${userPair.public}\n`, { mode: 0o644 });
  const bootIdFile = join(dir, 'boot_id');
  writeFileSync(bootIdFile, `${randomUUID()}\n`, { mode: 0o644 });
  const requestFile = join(dir, 'reboot-requested');
  const parsedHost = ssh2.utils.parseKey(hostPair.public);
  if (parsedHost instanceof Error) throw parsedHost;

  let port = 0;
  let stopped = false;

  const launch = async (): Promise<void> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!port || attempt > 0) port = await freePort();
      writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port, username, options));
      const logFile = join(dir, 'sshd.log');
      const fd = openSync(logFile, 'a');
      const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')];
      proc = spawn(
        options.namespacedReboot ? 'unshare' : sshd[0]!,
        options.namespacedReboot ? namespacedRebootArgs(dir, bootIdFile, requestFile, sshd) : sshd.slice(1),
        {
          detached: true,
          stdio: ['ignore', 'ignore', fd],
        },
      );
      closeSync(fd);
      proc.unref();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && proc.exitCode === null) {
        if (await sshBanner(port, 500)) return;
        await sleep(20);
      }
      const log = readFileSync(logFile, 'utf8');
      killTree(proc.pid!);
      // A free port can be taken between freePort() and sshd's bind: pick another.
      if (!/Address already in use|Cannot bind/.test(log)) throw new Error(`sshd did not start:\n${log.slice(-2000)}`);
    }
    throw new Error('sshd could not bind a free port after 5 attempts');
  };

  const restart = async ({ downMs = 300, newBootId = true } = {}): Promise<void> => {
    drop();
    if (newBootId) writeFileSync(bootIdFile, `${randomUUID()}\n`);
    await sleep(downMs);
    if (!stopped) await launch();
  };

  // The node asks for a "reboot" by creating requestFile (as root, via sudo).
  let watcher: FSWatcher | undefined = watch(dir, (_event, name) => {
    if (name !== 'reboot-requested' || !existsSync(requestFile)) return;
    unlinkSync(requestFile);
    void restart({ downMs: 500 });
  });
  watcher.unref();

  try {
    await launch();
  } catch (e) {
    watcher.close();
    cleanup();
    live.delete(cleanup);
    throw e;
  }

  const privateKeyFile = join(dir, 'id_ed25519');
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    username,
    password,
    privateKeyFile,
    privateKey: userPair.private,
    hostKey: parsedHost.getPublicSSH().toString('base64'),
    dir,
    bootIdFile,
    bootIdCommand: `cat ${bootIdFile}`,
    // A short delay so the command's channel closes before the "reboot" drops the connection.
    rebootCommand: `sleep 0.2; touch ${requestFile}`,
    connection: (overrides = {}) => ({
      address: '127.0.0.1',
      port,
      username,
      privateKeyFile,
      ...overrides,
    }),
    restart,
    kill: async () => {
      drop();
      await launch();
    },
    freeze: () => signalTree(proc?.pid, 'SIGSTOP'),
    thaw: () => signalTree(proc?.pid, 'SIGCONT'),
    stop: async () => {
      stopped = true;
      watcher?.close();
      watcher = undefined;
      cleanup();
      live.delete(cleanup);
    },
  };
}

/**
 * `unshare` arguments that start sshd with a fake boot id and fake reboot commands. `set -e`: if
 * any mount fails, sshd never starts (and nothing can reach the host's real reboot).
 */
function namespacedRebootArgs(dir: string, bootIdFile: string, requestFile: string, sshd: string[]): string[] {
  const fake = join(dir, 'fake-reboot');
  writeFileSync(fake, `#!/bin/sh\ntouch ${requestFile}\n`, { mode: 0o755 });
  const script = [
    'set -e',
    'mount -t tmpfs -o mode=755 tmpfs /usr/local/sbin',
    `cp ${fake} /usr/local/sbin/systemctl`,
    `cp ${fake} /usr/local/sbin/reboot`,
    `mount --bind ${bootIdFile} /proc/sys/kernel/random/boot_id`,
    `exec ${sshd.join(' ')}`,
  ].join('\n');
  return ['-m', '--propagation', 'private', 'sh', '-c', script];
}

function sshdConfig(dir: string, port: number, user: string, options: SshdOptions): string {
  return `Port ${port}
ListenAddress 127.0.0.1
HostKey ${dir}/host_key
PidFile none
AuthorizedKeysFile ${dir}/authorized_keys
AllowUsers ${user}
StrictModes no
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
MaxStartups 100:30:200
MaxSessions ${options.maxSessions ?? 100}
MaxAuthTries 20
LogLevel INFO
${options.noSftp ? '' : 'Subsystem sftp internal-sftp\n'}`;
}

let hooked = false;
function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  const all = () => {
    for (const c of live) c();
    live.clear();
  };
  process.once('exit', all);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      all();
      process.kill(process.pid, sig);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
