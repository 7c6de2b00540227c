import { readFile as readLocal, writeFile as writeLocal } from 'node:fs/promises';
import type ssh2 from 'ssh2';
import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import { shellQuote } from '../shell/quote.js';
import { BaseNode, type RawResult, type RawRun } from './base-node.js';
import { untilAborted } from './abortable.js';
import { ChannelLimiter } from './channel-limiter.js';
import { shellInvocation, stdinFor, type SudoMode } from './command-line.js';
import { killTreeScript } from './kill-tree.js';
import { reapOrphans } from './orphan-reaper.js';
import { ownerAssignment } from './owner-tag.js';
import { PID_MARKER } from './pid-marker.js';
import { openExec, runOnChannel, type OpenChannel } from './ssh-channel.js';
import { connectWithRetry, target } from './ssh-connect.js';
import {
  isSubsystemUnavailable,
  openSftp,
  sftpDownload,
  sftpReadFile,
  sftpUpload,
  sftpWriteFile,
} from './ssh-files.js';
import { rebootAndWait } from './ssh-reboot.js';
import { NodeUnreachableError, type SshConnectionInfo } from './types.js';

export interface SshNodeOptions {
  name: string;
  connection: SshConnectionInfo;
  log: Logger;
  /** The run's masker: the node registers its password and sudo password with it. */
  masker?: SecretMasker;
  /** Concurrent channels on the one connection; more commands queue. Default 8 (sshd allows 10). */
  maxChannels?: number;
  /** Total time to (re)connect, retries included. Default 60 s. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval; three unanswered ones drop a dead connection. Default 5 s. */
  keepaliveIntervalMs?: number;
  /** Run as root (through sudo) to reboot. Default `systemctl reboot || reboot`. */
  rebootCommand?: string;
  /** Prints an id that changes on every boot. Default `cat /proc/sys/kernel/random/boot_id`. */
  bootIdCommand?: string;
  /**
   * Look for processes of killed lisa runs on the first connection (default true). A machine this
   * run created cannot have any, so its platform turns the sweep (a script on the node) off.
   */
  sweepOrphans?: boolean;
}

interface Connection {
  client: ssh2.Client;
  closed: boolean;
  sftp?: Promise<ssh2.SFTPWrapper>;
}

const KILL_TIMEOUT_MS = 10_000;
const ABORTED: RawResult = {
  stdout: Buffer.alloc(0),
  stderr: Buffer.alloc(0),
  exitCode: -1,
  timedOut: false,
  aborted: true,
};

/** A machine reached over one persistent SSH connection, opened lazily and reopened when lost. */
export class SshNode extends BaseNode {
  readonly kind = 'ssh' as const;
  readonly connectionInfo: SshConnectionInfo;
  private readonly options: SshNodeOptions;
  private readonly limiter: ChannelLimiter;
  private conn: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private knownHostKey: string | undefined;
  private sudo: Promise<SudoMode> | undefined;
  private posixLogin: Promise<boolean> | undefined;
  private sftpUnavailable = false;
  /** Cancels a connect still retrying when the node is closed. */
  private connectCancel = new AbortController();

  constructor(options: SshNodeOptions) {
    super(options.name, options.log);
    this.options = options;
    this.connectionInfo = options.connection;
    this.limiter = new ChannelLimiter(options.maxChannels ?? 8);
    this.knownHostKey = options.connection.hostKey;
    options.masker?.add(options.connection.password);
    options.masker?.add(options.connection.sudoPassword);
    for (const hop of options.connection.jumpHosts ?? []) options.masker?.add(hop.password);
  }

  /** base64 of the raw host key: the configured one, else the one seen on first connect. */
  get hostKey(): string | undefined {
    return this.knownHostKey;
  }

  /** The shared connection, opened (with retries until `deadlineMs` from now) when needed. */
  private async connection(deadlineMs = this.options.connectTimeoutMs ?? 60_000): Promise<Connection> {
    if (this.conn && !this.conn.closed) return this.conn;
    this.connecting ??= this.openConnection(deadlineMs).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async openConnection(deadlineMs: number): Promise<Connection> {
    const info = this.connectionInfo;
    const privateKey =
      info.privateKey ?? (info.privateKeyFile ? await readKey(this.name, info.privateKeyFile) : undefined);
    const started = performance.now();
    const { client, hostKey } = await connectWithRetry({
      nodeName: this.name,
      info,
      privateKey,
      expectedHostKey: this.knownHostKey,
      deadline: Date.now() + deadlineMs,
      attemptTimeoutMs: 20_000,
      keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 5000,
      log: this.log,
      signal: this.connectCancel.signal,
    });
    // Later reconnects (after a reboot) must meet the same host.
    this.knownHostKey ??= hostKey;
    const conn: Connection = { client, closed: false };
    client.on('close', () => {
      conn.closed = true;
      if (this.conn === conn) this.conn = undefined;
      this.log.debug(`ssh connection to ${target(info)} closed`);
    });
    this.conn = conn;
    this.log.debug(`ssh connected to ${target(info)} in ${Math.round(performance.now() - started)} ms`);
    // Once per node: what a killed earlier run left running here is stopped before this one starts.
    if (this.options.sweepOrphans === false) this.orphanSweep ??= Promise.resolve([]);
    this.orphanSweep ??= this.sweepOrphans(conn).catch((e: Error) => {
      this.log.warn(`could not look for processes left by killed runs on ${this.name}: ${e.message}`);
      return [];
    });
    await this.orphanSweep;
    return conn;
  }

  private orphanSweep: Promise<number[]> | undefined;

  /** Kills the processes killed lisa runs left on this node (`lisa reap`); returns their pids. */
  async reapOrphans(): Promise<number[]> {
    await this.connection();
    return (await this.orphanSweep) ?? [];
  }

  private async sweepOrphans(conn: Connection): Promise<number[]> {
    const killed = await reapOrphans(async (script) => {
      const out = await runOnChannel(await openExec(conn.client, script), {
        stdin: undefined,
        timeoutMs: KILL_TIMEOUT_MS * 3,
        signal: undefined,
        kill: async () => {},
        onKillError: () => {},
      });
      return out.stdout.toString();
    });
    if (killed.length) {
      this.log.info(`${this.name}: killed ${killed.length} process(es) left by a killed lisa run: ${killed.join(' ')}`);
    }
    return killed;
  }

  protected async sudoMode(): Promise<SudoMode> {
    const info = this.connectionInfo;
    if (info.username === 'root') return { kind: 'root' };
    const password = info.sudoPassword ?? info.password;
    if (!password) return { kind: 'nopasswd' };
    // With a password at hand, probe once: feeding it to a passwordless sudo would hand it to the command.
    this.sudo ??= this.execute('sudo -n true', { noErrorLog: true, timeoutMs: 30_000 }).then(
      (r): SudoMode => (r.exitCode === 0 ? { kind: 'nopasswd' } : { kind: 'password', password }),
    );
    this.sudo.catch(() => (this.sudo = undefined));
    return this.sudo;
  }

  protected async runRaw(run: RawRun): Promise<RawResult> {
    // Queueing for a channel and (re)connecting can take long: both give way to an abort.
    const release = await untilAborted(this.limiter.acquire(), run.signal, (late) => late());
    if (!release) return ABORTED;
    try {
      // With a POSIX login shell and no sudo, the body runs in that shell itself: an extra remote
      // `exec sh -c` per command costs more than the whole client side of the harness.
      let direct = !run.sudo || run.sudo.kind === 'root';
      if (direct) {
        const posix = await untilAborted(this.loginShellIsPosix(), run.signal, () => {});
        if (posix === undefined) return ABORTED;
        direct = posix;
      }
      // The owner tag lets a later run reap what this one leaves if it is killed (./orphan-reaper.ts).
      const remote = direct
        ? `echo ${PID_MARKER}$$; export ${ownerAssignment()};${run.stdin ? '' : ' exec </dev/null;'}\n${run.body}`
        : `echo ${PID_MARKER}$$; export ${ownerAssignment()}; exec ${shellInvocation(run.body, run.sudo)}${run.stdin ? '' : ' </dev/null'}`;
      const opened = await untilAborted(this.openChannel(remote), run.signal, (late) => late.channel.channel.close());
      if (!opened) return ABORTED;
      const { conn, channel } = opened;
      const out = await runOnChannel(channel, {
        stdin: run.stdin,
        timeoutMs: run.timeoutMs,
        signal: run.signal,
        kill: (pid) => this.killRemote(conn, pid, run.sudo),
        onKillError: (e) => this.log.warn(`could not kill the remote command: ${e.message}`),
      });
      const killed = out.timedOut || out.aborted;
      if (out.exitCode === undefined && !killed && conn.closed) {
        throw new NodeUnreachableError(
          this.name,
          `connection to ${target(this.connectionInfo)} was lost while a command was running ` +
            '(the node rebooted, crashed or dropped off the network); the next command reconnects',
        );
      }
      return {
        stdout: out.stdout,
        stderr: out.stderr,
        exitCode: out.exitCode ?? -1,
        ...(out.signal ? { signal: out.signal } : {}),
        timedOut: out.timedOut,
        aborted: out.aborted,
      };
    } finally {
      release();
    }
  }

  /** Asked once per node: csh or fish as login shell get every command wrapped in `sh -c`. */
  private loginShellIsPosix(): Promise<boolean> {
    this.posixLogin ??= (async () => {
      const { channel } = await this.openChannel('echo $((6*7))');
      const out = await runOnChannel(channel, {
        stdin: undefined,
        timeoutMs: 30_000,
        signal: undefined,
        kill: async () => {},
        onKillError: () => {},
      });
      const posix = out.stdout.toString().trim() === '42';
      if (!posix) this.log.info(`${this.name}: login shell is not POSIX; commands run through sh -c`);
      return posix;
    })();
    this.posixLogin.catch(() => (this.posixLogin = undefined));
    return this.posixLogin;
  }

  /**
   * Opens an exec channel. A connection that died while idle is replaced once; an
   * administratively refused channel (sshd MaxSessions) is retried with backoff.
   */
  private async openChannel(command: string): Promise<{ conn: Connection; channel: OpenChannel }> {
    let reconnected = false;
    for (let attempt = 0; ; attempt++) {
      const conn = await this.connection();
      try {
        return { conn, channel: await openExec(conn.client, command) };
      } catch (e) {
        const message = (e as Error).message;
        if (conn.closed || /Not connected|No response from server/i.test(message)) {
          this.dropConnection(conn);
          if (reconnected) throw new NodeUnreachableError(this.name, `cannot open a channel: ${message}`);
          reconnected = true;
        } else if (/open failed|Channel open failure/i.test(message) && attempt < 8) {
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        } else {
          throw new NodeUnreachableError(this.name, `cannot open a channel: ${message}`);
        }
      }
    }
  }

  /** A kill needs its own channel: closing the command's channel does not stop a no-pty process. */
  private async killRemote(conn: Connection, pid: number, sudo: SudoMode | undefined): Promise<void> {
    if (conn.closed) return;
    const channel = await openExec(conn.client, shellInvocation(killTreeScript(pid), sudo));
    await runOnChannel(channel, {
      stdin: stdinFor(sudo, undefined),
      timeoutMs: KILL_TIMEOUT_MS,
      signal: undefined,
      kill: async () => {},
      onKillError: () => {},
    });
  }

  private dropConnection(conn = this.conn): void {
    if (!conn) return;
    conn.closed = true;
    if (this.conn === conn) this.conn = undefined;
    conn.client.destroy();
  }

  private async sftp(): Promise<ssh2.SFTPWrapper | undefined> {
    if (this.sftpUnavailable) return undefined;
    const conn = await this.connection();
    conn.sftp ??= openSftp(conn.client);
    try {
      return await conn.sftp;
    } catch (e) {
      conn.sftp = undefined;
      if (conn.closed || !isSubsystemUnavailable(e as Error)) throw e;
      this.sftpUnavailable = true;
      this.log.info(`no SFTP on ${this.name} (${(e as Error).message}); files go through cat`);
      return undefined;
    }
  }

  async readFile(remotePath: string): Promise<string> {
    return (await this.readBytes(remotePath)).toString('utf8');
  }

  private async readBytes(remotePath: string): Promise<Buffer> {
    const sftp = await this.sftp();
    if (sftp) return this.timed(`read ${remotePath}`, () => sftpReadFile(sftp, remotePath));
    return (await this.executeRaw(`cat -- ${shellQuote(remotePath)}`, { expectedExitCode: 0 }, true)).stdout;
  }

  async writeFile(remotePath: string, content: string | Buffer, mode?: number): Promise<void> {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const sftp = await this.sftp();
    if (sftp)
      return this.timed(`write ${remotePath} (${data.length} bytes)`, () =>
        sftpWriteFile(sftp, remotePath, data, mode),
      );
    const q = shellQuote(remotePath);
    const chmod = mode === undefined ? '' : ` && chmod ${mode.toString(8)} ${q}`;
    await this.execute(`cat > ${q}${chmod}`, { input: data, expectedExitCode: 0 });
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    const sftp = await this.sftp();
    if (sftp) return this.timed(`upload ${localPath} -> ${remotePath}`, () => sftpUpload(sftp, localPath, remotePath));
    await this.writeFile(remotePath, await readLocal(localPath));
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    const sftp = await this.sftp();
    if (sftp)
      return this.timed(`download ${remotePath} -> ${localPath}`, () => sftpDownload(sftp, remotePath, localPath));
    await writeLocal(localPath, await this.readBytes(remotePath));
  }

  private async timed<T>(what: string, op: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      const value = await op();
      this.log.debug(`sftp ${what} in ${Math.round(performance.now() - start)} ms`);
      return value;
    } catch (e) {
      this.log.warn(`sftp ${what} failed: ${(e as Error).message}`);
      throw e;
    }
  }

  /**
   * Reboots through sudo (detached, so the dying channel is not an error), then reconnects until
   * the boot id differs. Tests point rebootCommand/bootIdCommand at the sshd fixture.
   */
  async reboot(options: { timeoutMs?: number } = {}): Promise<void> {
    await rebootAndWait({
      node: this,
      timeoutMs: options.timeoutMs ?? 300_000,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 60_000,
      bootIdCommand: this.options.bootIdCommand ?? 'cat /proc/sys/kernel/random/boot_id',
      rebootCommand: this.options.rebootCommand ?? 'systemctl reboot || reboot',
      connect: async (deadlineMs) => void (await this.connection(deadlineMs)),
    });
  }

  /** Closes the connection; a later command opens a new one. */
  async close(): Promise<void> {
    this.connectCancel.abort();
    this.connectCancel = new AbortController();
    const conn = this.conn;
    if (!conn) return;
    this.conn = undefined;
    conn.closed = true;
    await new Promise<void>((resolve) => {
      conn.client.once('close', () => resolve());
      conn.client.end();
      setTimeout(() => {
        conn.client.destroy();
        resolve();
      }, 2000).unref();
    });
  }
}

async function readKey(nodeName: string, file: string): Promise<Buffer> {
  try {
    return await readLocal(file);
  } catch (e) {
    throw new NodeUnreachableError(nodeName, `cannot read private key file ${file}: ${(e as Error).message}`);
  }
}
