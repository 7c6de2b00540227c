import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { BmcError, type BootDevice, type Bmc, type ConsoleStream, type PowerState } from './bmc.js';
import { IpmiBmc } from './ipmi.js';
import type { RedfishConfig } from './schema.js';

interface RedfishSystem {
  PowerState?: string;
  Actions?: Record<string, { target?: string }>;
  SerialConsole?: { IPMI?: { ServiceEnabled?: boolean; Port?: number } };
}

/**
 * A BMC spoken to over Redfish (DMTF DSP0266) with HTTPS and basic authentication:
 * ComputerSystem.Reset for power, Boot.BootSourceOverrideTarget for the next boot, and the
 * system's SerialConsole (its IPMI serial-over-LAN service, as iDRAC, iLO and OpenBMC offer) for
 * the console.
 */
export class RedfishBmc implements Bmc {
  readonly describe: string;
  private readonly base: URL;
  private readonly ca: Buffer | undefined;
  private readonly timeoutMs: number;
  private systemPath: string | undefined;

  constructor(
    private readonly machine: string,
    private readonly config: RedfishConfig,
  ) {
    this.base = new URL(config.url);
    this.describe = `redfish ${this.base.origin}`;
    this.ca = config.ca_file ? readFileSync(config.ca_file) : undefined;
    this.timeoutMs = (config.timeout ?? 30) * 1000;
    this.systemPath = config.system;
  }

  private fail(kind: BmcError['kind'], detail: string): BmcError {
    return new BmcError(kind, this.machine, this.describe, detail);
  }

  /** One request; JSON in and out. Errors become one line naming method, path and status. */
  call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.base);
    if (url.protocol !== 'https:') return Promise.reject(this.fail('protocol', `refusing ${url.protocol} (use https)`));
    const data = body === undefined ? undefined : JSON.stringify(body);
    const auth = Buffer.from(`${this.config.user}:${this.config.password}`).toString('base64');
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.ca,
          signal,
          timeout: this.timeoutMs,
          headers: {
            authorization: `Basic ${auth}`,
            accept: 'application/json',
            'OData-Version': '4.0',
            ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            if (code === 401 || code === 403)
              return reject(
                this.fail(
                  'login',
                  `login rejected for user ${this.config.user} (${method} ${url.pathname}: HTTP ${code})`,
                ),
              );
            if (code >= 400)
              return reject(this.fail('protocol', `${method} ${url.pathname}: HTTP ${code} ${extendedMessage(text)}`));
            try {
              resolve((text ? JSON.parse(text) : {}) as T);
            } catch {
              reject(this.fail('protocol', `${method} ${url.pathname}: answer is not JSON`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (signal?.aborted) return reject(this.fail('timeout', `${method} ${url.pathname} aborted`));
        const tls = /certificate|self.signed|SSL|TLS/i.test(e.message);
        reject(
          this.fail(
            tls ? 'protocol' : 'timeout',
            `${method} ${url.pathname}: ${e.message}${tls ? ' (set bmc.redfish.ca_file to the CA that signed it)' : ''}`,
          ),
        );
      });
      req.end(data);
    });
  }

  private async system(signal?: AbortSignal): Promise<string> {
    if (this.systemPath) return this.systemPath;
    const col = await this.call<{ Members?: { '@odata.id': string }[] }>(
      'GET',
      '/redfish/v1/Systems',
      undefined,
      signal,
    );
    const members = col.Members ?? [];
    if (members.length !== 1)
      throw this.fail('protocol', `found ${members.length} systems; set bmc.redfish.system to one of them`);
    return (this.systemPath = members[0]!['@odata.id']);
  }

  async powerState(signal?: AbortSignal): Promise<PowerState> {
    const s = await this.call<RedfishSystem>('GET', await this.system(signal), undefined, signal);
    if (s.PowerState === 'On' || s.PowerState === 'PoweringOff') return 'on';
    if (s.PowerState === 'Off' || s.PowerState === 'PoweringOn') return 'off';
    throw this.fail('protocol', `unexpected PowerState ${JSON.stringify(s.PowerState)}`);
  }

  private async reset(type: string, signal?: AbortSignal): Promise<void> {
    const path = await this.system(signal);
    const s = await this.call<RedfishSystem>('GET', path, undefined, signal);
    const target = s.Actions?.['#ComputerSystem.Reset']?.target ?? `${path}/Actions/ComputerSystem.Reset`;
    await this.call('POST', target, { ResetType: type }, signal);
  }

  powerOn(signal?: AbortSignal): Promise<void> {
    return this.reset('On', signal);
  }

  powerOff(signal?: AbortSignal): Promise<void> {
    return this.reset('ForceOff', signal);
  }

  powerCycle(signal?: AbortSignal): Promise<void> {
    return this.reset('ForceRestart', signal);
  }

  async setBootDevice(device: BootDevice, signal?: AbortSignal): Promise<void> {
    const target = device === 'pxe' ? 'Pxe' : 'Hdd';
    await this.call(
      'PATCH',
      await this.system(signal),
      { Boot: { BootSourceOverrideTarget: target, BootSourceOverrideEnabled: 'Once' } },
      signal,
    );
  }

  /** The system's serial console over its IPMI SOL service, with the same account. */
  async openConsole(append: (text: Buffer) => void, onError: (message: string) => void): Promise<ConsoleStream> {
    const s = await this.call<RedfishSystem>('GET', await this.system());
    const ipmi = s.SerialConsole?.IPMI;
    if (!ipmi?.ServiceEnabled)
      throw this.fail('protocol', 'the system offers no IPMI serial console (SerialConsole.IPMI.ServiceEnabled)');
    const sol = new IpmiBmc(this.machine, {
      host: this.base.hostname,
      port: ipmi.Port ?? 623,
      user: this.config.user,
      password: this.config.password,
      cipher_suite: this.config.sol_cipher_suite,
    });
    return sol.openConsole(append, onError);
  }
}

function extendedMessage(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { message?: string; '@Message.ExtendedInfo'?: { Message?: string }[] } })
      .error;
    return e?.['@Message.ExtendedInfo']?.[0]?.Message ?? e?.message ?? '';
  } catch {
    return text.slice(0, 120);
  }
}
