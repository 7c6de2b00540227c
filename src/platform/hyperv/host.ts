import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { encodedCommand, PREAMBLE } from './powershell.js';

const { Client } = ssh2;

export interface HostLogin {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKeyFile?: string;
}

/** A cmdlet the host refused, named with the step and the first line of PowerShell's error. */
export class HostCommandError extends Error {
  constructor(host: string, step: string, detail: string) {
    super(`Hyper-V host ${host}: ${step} failed: ${detail}`);
    this.name = 'HostCommandError';
  }
}

/**
 * One persistent SSH connection to the Windows host (OpenSSH server), PowerShell per command via
 * -EncodedCommand so no shell ever re-parses a value. `transcript` records every script sent.
 */
export class HyperVHost {
  private client: ssh2.Client | undefined;
  private connecting: Promise<ssh2.Client> | undefined;
  readonly transcript: { step: string; script: string }[] = [];

  constructor(readonly login: HostLogin) {}

  /**
   * The one connection, shared: deploys of parallel VMs call this at the same moment, and each
   * must get the same client (a second, untracked one would outlive close() and hold the run open).
   */
  private connect(): Promise<ssh2.Client> {
    this.connecting ??= new Promise<ssh2.Client>((resolve, reject) => {
      const c = new Client();
      this.client = c;
      c.once('ready', () => resolve(c));
      c.once('close', () => {
        if (this.client === c) {
          this.client = undefined;
          this.connecting = undefined;
        }
      });
      c.once('error', (e) => {
        if (this.client === c) {
          this.client = undefined;
          this.connecting = undefined;
        }
        c.end();
        reject(new Error(`Hyper-V host ${this.login.host}:${this.login.port}: ${e.message}`));
      });
      c.connect({
        host: this.login.host,
        port: this.login.port,
        username: this.login.username,
        password: this.login.password,
        privateKey: this.login.privateKeyFile ? readFileSync(this.login.privateKeyFile) : undefined,
        readyTimeout: 30_000,
        keepaliveInterval: 10_000,
      });
    });
    return this.connecting;
  }

  /** Runs one step's script; resolves with stdout, rejects with a one-line HostCommandError. */
  async run(step: string, script: string, signal?: AbortSignal): Promise<string> {
    this.transcript.push({ step, script });
    const c = await this.connect();
    return new Promise((resolve, reject) => {
      c.exec(encodedCommand(PREAMBLE + script), (err, stream) => {
        if (err) return reject(new HostCommandError(this.login.host, step, err.message));
        let out = '';
        let errText = '';
        const onAbort = (): void => void stream.close();
        signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (d: Buffer) => (out += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (errText += d.toString()));
        stream.on('close', (code: number | null) => {
          signal?.removeEventListener('abort', onAbort);
          if (code === 0) return resolve(out.trim());
          if (signal?.aborted) return reject(new HostCommandError(this.login.host, step, 'interrupted'));
          const first = errText.split(/\r?\n/).find((l) => l.trim()) ?? `exit code ${code}`;
          reject(new HostCommandError(this.login.host, step, first.trim()));
        });
      });
    });
  }

  /** Streams a long-running script's stdout (the COM port reader) until `stop()`. */
  async stream(step: string, script: string, onData: (d: Buffer) => void): Promise<{ stop(): void }> {
    this.transcript.push({ step, script });
    const c = await this.connect();
    return new Promise((resolve, reject) => {
      c.exec(encodedCommand(PREAMBLE + script), (err, stream) => {
        if (err) return reject(new HostCommandError(this.login.host, step, err.message));
        stream.on('data', onData);
        stream.stderr.on('data', () => {});
        stream.on('close', () => {});
        resolve({ stop: () => void stream.close() });
      });
    });
  }

  /** Copies a local file to a host path (SFTP; Windows paths become /C:/...); Ctrl-C ends the copy. */
  async upload(local: string, remoteWindowsPath: string, step = 'copy image', signal?: AbortSignal): Promise<void> {
    this.transcript.push({ step, script: `# sftp put ${local} ${remoteWindowsPath}` });
    const c = await this.connect();
    const remote = `/${remoteWindowsPath.replace(/\\/g, '/')}`;
    await new Promise<void>((resolve, reject) => {
      c.sftp((err, sftp) => {
        if (err) return reject(new HostCommandError(this.login.host, step, err.message));
        const onAbort = (): void => {
          sftp.end();
          reject(new HostCommandError(this.login.host, step, 'interrupted'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        sftp.fastPut(local, remote, (e) => {
          signal?.removeEventListener('abort', onAbort);
          sftp.end();
          if (signal?.aborted) reject(new HostCommandError(this.login.host, step, 'interrupted'));
          else if (e) reject(new HostCommandError(this.login.host, step, `${remote}: ${e.message}`));
          else resolve();
        });
      });
    });
  }

  close(): void {
    this.client?.end();
    this.client = undefined;
    this.connecting = undefined;
  }
}
