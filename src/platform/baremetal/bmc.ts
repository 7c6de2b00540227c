/** What the platform needs from a server's baseboard management controller, IPMI or Redfish. */
export type PowerState = 'on' | 'off';
export type BootDevice = 'pxe' | 'disk';

export interface ConsoleStream {
  /** Stops reading the console; resolves when the reader is gone. */
  close(): Promise<void>;
}

export interface Bmc {
  /** `ipmi 127.0.0.1:623` or `redfish https://...`, for messages (never with credentials). */
  readonly describe: string;
  powerState(signal?: AbortSignal): Promise<PowerState>;
  powerOn(signal?: AbortSignal): Promise<void>;
  /** Hard power off (the platform never leaves a server half-shut-down). */
  powerOff(signal?: AbortSignal): Promise<void>;
  /** Off and on again (IPMI power cycle / Redfish ForceRestart). */
  powerCycle(signal?: AbortSignal): Promise<void>;
  /** Device for the next boot only. */
  setBootDevice(device: BootDevice, signal?: AbortSignal): Promise<void>;
  /** Streams the serial console (SOL or the Redfish serial interface) into `append`. */
  openConsole(append: (text: Buffer) => void, onError: (message: string) => void): Promise<ConsoleStream>;
}

/** One-line BMC failure that names the machine and the BMC; `kind` lets callers tell them apart. */
export class BmcError extends Error {
  constructor(
    readonly kind: 'login' | 'timeout' | 'unchanged' | 'protocol',
    machine: string,
    bmc: string,
    detail: string,
  ) {
    super(`machine ${machine}: BMC ${bmc}: ${detail}`);
    this.name = 'BmcError';
  }
}
