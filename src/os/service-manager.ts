import type { Node } from '../node/types.js';
import { shellQuote } from '../shell/quote.js';

export type ServiceManagerName = 'systemd' | 'openrc' | 'bsdrc';

export interface ServiceStatus {
  name: string;
  /** Running now. */
  active: boolean;
  /** Starts at boot. Undefined when the manager cannot tell. */
  enabled?: boolean;
  /** Manager-specific state: systemd ActiveState/SubState, `started`, `stopped`... */
  state: string;
  /** False when no such service is defined. */
  exists: boolean;
}

export interface ServiceManager {
  readonly name: ServiceManagerName;
  status(service: string): Promise<ServiceStatus>;
  isActive(service: string): Promise<boolean>;
  start(service: string): Promise<void>;
  stop(service: string): Promise<void>;
  restart(service: string): Promise<void>;
  /** Enables at boot (and starts it when `now`). */
  enable(service: string, now?: boolean): Promise<void>;
}

/** Command lines per init system. Pure, for unit tests. */
export const SERVICE_COMMANDS: Record<
  ServiceManagerName,
  {
    status(s: string): string;
    isActive(s: string): string;
    action(a: 'start' | 'stop' | 'restart', s: string): string;
    enable(s: string, now: boolean): string;
  }
> = {
  systemd: {
    status: (s) => `systemctl show --no-pager -p LoadState,ActiveState,SubState,UnitFileState ${shellQuote(s)}`,
    isActive: (s) => `systemctl is-active --quiet ${shellQuote(s)}`,
    action: (a, s) => `systemctl ${a} ${shellQuote(s)}`,
    enable: (s, now) => `systemctl enable ${now ? '--now ' : ''}${shellQuote(s)}`,
  },
  openrc: {
    status: (s) =>
      `rc-service ${shellQuote(s)} status; echo "exit=$?"; rc-update show default | grep -qw ${shellQuote(s)} && echo enabled=yes || echo enabled=no`,
    isActive: (s) => `rc-service ${shellQuote(s)} status`,
    action: (a, s) => `rc-service ${shellQuote(s)} ${a}`,
    enable: (s, now) => `rc-update add ${shellQuote(s)} default${now ? ` && rc-service ${shellQuote(s)} start` : ''}`,
  },
  bsdrc: {
    status: (s) =>
      `service ${shellQuote(s)} onestatus; echo "exit=$?"; service ${shellQuote(s)} enabled && echo enabled=yes || echo enabled=no`,
    isActive: (s) => `service ${shellQuote(s)} onestatus`,
    action: (a, s) => `service ${shellQuote(s)} one${a}`,
    enable: (s, now) => `sysrc ${shellQuote(`${s}_enable=YES`)}${now ? ` && service ${shellQuote(s)} start` : ''}`,
  },
};

/** `systemctl show -p ...` output → status. */
export function parseSystemdShow(service: string, stdout: string): ServiceStatus {
  const p: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) p[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  const ufs = p.UnitFileState ?? '';
  return {
    name: service,
    active: p.ActiveState === 'active',
    enabled:
      ufs === ''
        ? undefined
        : ['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated'].includes(ufs)
          ? ufs !== 'indirect'
          : false,
    state: [p.ActiveState, p.SubState].filter(Boolean).join('/'),
    exists: p.LoadState !== undefined && p.LoadState !== 'not-found',
  };
}

/** OpenRC / BSD rc status script output (`exit=N`, `enabled=yes|no` appended) → status. */
export function parseRcStatus(service: string, stdout: string): ServiceStatus {
  const exit = Number(/^exit=(\d+)$/m.exec(stdout)?.[1] ?? 1);
  const text = stdout.replace(/^(exit|enabled)=.*$/gm, '').trim();
  const missing = /does not exist|not found|unknown service|is not a valid service/i.test(text);
  const state = /status:\s*(\S+)/.exec(text)?.[1] ?? (exit === 0 ? 'running' : missing ? 'not-found' : 'stopped');
  return { name: service, active: exit === 0, enabled: /^enabled=yes$/m.test(stdout), state, exists: !missing };
}

export class CommandServiceManager implements ServiceManager {
  constructor(
    readonly node: Node,
    readonly name: ServiceManagerName,
  ) {}

  async status(service: string): Promise<ServiceStatus> {
    const r = await this.node.execute(SERVICE_COMMANDS[this.name].status(service), {
      noErrorLog: true,
      timeoutMs: 60_000,
    });
    return this.name === 'systemd'
      ? parseSystemdShow(service, r.stdout)
      : parseRcStatus(service, `${r.stdout}\n${r.stderr}`);
  }

  async isActive(service: string): Promise<boolean> {
    const r = await this.node.execute(SERVICE_COMMANDS[this.name].isActive(service), {
      noErrorLog: true,
      timeoutMs: 60_000,
    });
    return r.exitCode === 0;
  }

  start(service: string): Promise<void> {
    return this.act(SERVICE_COMMANDS[this.name].action('start', service));
  }
  stop(service: string): Promise<void> {
    return this.act(SERVICE_COMMANDS[this.name].action('stop', service));
  }
  restart(service: string): Promise<void> {
    return this.act(SERVICE_COMMANDS[this.name].action('restart', service));
  }
  enable(service: string, now = false): Promise<void> {
    return this.act(SERVICE_COMMANDS[this.name].enable(service, now));
  }

  private async act(command: string): Promise<void> {
    await this.node.execute(command, { sudo: true, expectedExitCode: 0, timeoutMs: 5 * 60_000 });
  }
}

/** `/run/systemd/system` exists only when systemd is PID 1 (not merely installed). */
export const DETECT_SERVICE_MANAGER =
  'if [ -d /run/systemd/system ]; then echo systemd; elif command -v rc-service >/dev/null 2>&1; then echo openrc; elif [ "$(uname -s)" = FreeBSD ]; then echo bsdrc; else echo unknown; fi';

const cache = new WeakMap<Node, Promise<ServiceManager>>();

export function serviceManagerFor(node: Node): Promise<ServiceManager> {
  let sm = cache.get(node);
  if (!sm) {
    sm = (async () => {
      const r = await node.execute(DETECT_SERVICE_MANAGER, { timeoutMs: 30_000 });
      const name = r.stdout.trim();
      if (name !== 'systemd' && name !== 'openrc' && name !== 'bsdrc') {
        throw new Error(`no supported service manager (systemd, OpenRC, BSD rc) found on ${node.name}`);
      }
      return new CommandServiceManager(node, name);
    })();
    cache.set(node, sm);
    sm.catch(() => cache.delete(node));
  }
  return sm;
}
