import { readFileSync } from 'node:fs';
import { BmcError, type Bmc, type PowerState } from './bmc.js';
import type { BootServer } from './boot-server.js';
import { ConsoleCapture } from './console-capture.js';
import type { MachineConfig } from './schema.js';
import { waitForSshLogin } from './ssh-ready.js';
import { consolePanic, consoleSize } from '../console-log.js';

const POWER_SETTLE_MS = 60_000;

/**
 * One physical server and its lifecycle through the BMC: power off if on, next boot device,
 * console capture, power on, SSH. Every failure names the machine and the stage it was in.
 */
export class Machine {
  readonly name: string;
  /** Host key the machine presented on the last login, pinned for the case connection. */
  hostKey: string | undefined;
  console: ConsoleCapture | undefined;
  /** Set by StartStop.stop so that the health check does not call a stopped machine dead. */
  stoppedOnPurpose = false;
  private readonly bootTimeoutMs: number;

  constructor(
    readonly config: MachineConfig,
    readonly bmc: Bmc,
    private readonly bootServer: BootServer | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.name = config.name;
    this.bootTimeoutMs = (config.boot_timeout ?? 600) * 1000;
  }

  get sshAddress(): { host: string; port: number } {
    return { host: this.config.address.host, port: this.config.address.port ?? 22 };
  }

  /** Polls the BMC until it reports `want`; a BMC that keeps the old state is an error. */
  async waitPower(want: PowerState, signal?: AbortSignal, timeoutMs = POWER_SETTLE_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let state = await this.bmc.powerState(signal);
    while (state !== want) {
      if (Date.now() > deadline)
        throw new BmcError(
          'unchanged',
          this.name,
          this.bmc.describe,
          `power state still ${state} ${Math.round(timeoutMs / 1000)} s after power ${want}`,
        );
      if (signal?.aborted) throw new Error(`machine ${this.name}: aborted while waiting for power ${want}`);
      await new Promise((r) => setTimeout(r, 1_000));
      state = await this.bmc.powerState(signal);
    }
  }

  /** Starts recording the serial console into `file` (kept across power cycles). */
  async captureConsole(file: string): Promise<void> {
    if (this.console) return;
    this.console = new ConsoleCapture(this.bmc, file, (l) => this.log(`${this.name}: ${l}`));
    await this.console.start();
  }

  /** From any state to booted and answering SSH. */
  async powerUp(signal: AbortSignal): Promise<void> {
    this.stoppedOnPurpose = false;
    this.log(`${this.name}: asking ${this.bmc.describe} for the power state`);
    if ((await this.bmc.powerState(signal)) === 'on') {
      this.log(`${this.name}: was on; powering off first`);
      await this.bmc.powerOff(signal);
      await this.waitPower('off', signal);
    }
    const device = this.config.boot.pxe ? 'pxe' : 'disk';
    await this.bmc.setBootDevice(device, signal);
    const fetchedBefore = this.fetchCount();
    const consoleFrom = this.consoleMark();
    const t0 = Date.now();
    await this.bmc.powerOn(signal);
    await this.waitPower('on', signal);
    this.log(`${this.name}: powered on (next boot ${device}); waiting for SSH`);
    await this.waitSsh(signal, fetchedBefore, consoleFrom);
    const fetched = this.fetchedSince(fetchedBefore);
    this.log(
      `${this.name}: SSH answered ${((Date.now() - t0) / 1000).toFixed(1)} s after power on${fetched.length ? ` (network boot fetched ${fetched.join(', ')})` : ''}`,
    );
  }

  /** Power cycle through the BMC, then SSH. */
  async cycle(signal: AbortSignal): Promise<void> {
    this.stoppedOnPurpose = false;
    await this.bmc.setBootDevice(this.config.boot.pxe ? 'pxe' : 'disk', signal);
    const fetchedBefore = this.fetchCount();
    const consoleFrom = this.consoleMark();
    await this.bmc.powerCycle(signal);
    await this.waitPower('on', signal);
    await this.waitSsh(signal, fetchedBefore, consoleFrom);
  }

  async powerDown(signal?: AbortSignal): Promise<void> {
    this.stoppedOnPurpose = true;
    await this.bmc.powerOff(signal);
    await this.waitPower('off', signal);
  }

  private fetchCount(): number {
    return this.bootServer?.served.filter((s) => s.startsWith(`${this.name}/`)).length ?? 0;
  }

  /** What the boot server handed this machine since the `fetchCount()` taken before power on. */
  private fetchedSince(before: number): string[] {
    return this.bootServer?.served.filter((x) => x.startsWith(`${this.name}/`)).slice(before) ?? [];
  }

  private consoleMark(): number {
    return this.console ? consoleSize(this.console.file) : 0;
  }

  private async waitSsh(signal: AbortSignal, fetchedBefore: number, consoleFrom: number): Promise<void> {
    const file = this.console?.file;
    const panicked = (): string | undefined => {
      const p = file ? consolePanic(file, consoleFrom) : undefined;
      return p && `the serial console shows: ${p}`;
    };
    const s = this.config.ssh;
    const stage = (): string => {
      const consoleBytes = this.console ? `, ${this.console.bytes} bytes on the console` : '';
      if (this.config.boot.pxe && this.bootServer) {
        const got = this.fetchedSince(fetchedBefore);
        if (got.length === 0)
          return `network boot: the machine never fetched ${this.bootServer.baseUrl}/${this.name}/boot.ipxe${consoleBytes}`;
        return `OS boot: it fetched ${got.join(', ')} but SSH is not up${consoleBytes}`;
      }
      return `OS boot from disk${consoleBytes}`;
    };
    try {
      this.hostKey = await waitForSshLogin(
        {
          ...this.sshAddress,
          username: s.username,
          privateKey: s.private_key_file ? readFileSync(s.private_key_file, 'utf8') : undefined,
          password: s.password,
        },
        { timeoutMs: this.bootTimeoutMs, signal, stage, panicked },
      );
    } catch (e) {
      throw new Error(`machine ${this.name}: ${(e as Error).message}`);
    }
  }
}
