import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface SystemdUnit {
  unit: string;
  load: string;
  active: string;
  sub: string;
  description: string;
}

/**
 * Parses `systemctl list-units --no-legend --plain --full` (one unit per line). Older systemd
 * prints a `●` marker before failed units even with --plain; it is dropped.
 */
export function parseListUnits(text: string): SystemdUnit[] {
  const units: SystemdUnit[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[\s●*×]+/, '').trimEnd();
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    units.push({ unit: m[1]!, load: m[2]!, active: m[3]!, sub: m[4]!, description: m[5]!.trim() });
  }
  return units;
}

/** Parses `systemctl list-units --output=json` (systemd 246+). */
export function parseListUnitsJson(text: string): SystemdUnit[] {
  const rows = JSON.parse(text) as Array<Record<string, string>>;
  return rows.map((r) => ({
    unit: r.unit ?? '',
    load: r.load ?? '',
    active: r.active ?? '',
    sub: r.sub ?? '',
    description: r.description ?? '',
  }));
}

/** `systemctl`: unit and system state. */
export class Systemctl extends Tool {
  readonly command = 'systemctl';
  override readonly packages: PackageNames = { default: 'systemd' };

  /** `active`, `inactive`, `failed`, `activating`, ... (`unknown` when systemctl printed nothing). */
  async isActive(unit: string): Promise<string> {
    const r = await this.run(`is-active ${shellQuote(unit)}`, { noErrorLog: true });
    return r.stdout.trim().split('\n')[0] || 'unknown';
  }

  /** `enabled`, `disabled`, `static`, `masked`, `not-found`, ... */
  async isEnabled(unit: string): Promise<string> {
    const r = await this.run(`is-enabled ${shellQuote(unit)}`, { noErrorLog: true });
    return r.stdout.trim().split('\n')[0] || (r.stderr.includes('No such file') ? 'not-found' : 'unknown');
  }

  /** `running`, `degraded`, `starting`, `maintenance`, ... */
  async systemState(): Promise<string> {
    const r = await this.run('is-system-running', { noErrorLog: true });
    return r.stdout.trim() || 'unknown';
  }

  /** Waits (bounded) until boot has finished so that failed units are final. */
  async waitUntilBooted(timeoutS = 120): Promise<string> {
    const r = await this.run(`is-system-running --wait`, { noErrorLog: true, timeoutMs: timeoutS * 1000 });
    if (r.timedOut) return 'starting';
    // systemd before 240 has no --wait: it prints only an error.
    return r.stdout.trim() || this.systemState();
  }

  async failedUnits(): Promise<SystemdUnit[]> {
    const r = await this.runOk('list-units --failed --all --no-legend --plain --full --no-pager');
    return parseListUnits(r.stdout);
  }

  async units(pattern?: string): Promise<SystemdUnit[]> {
    const r = await this.runOk(
      `list-units --all --no-legend --plain --full --no-pager${pattern ? ` ${shellQuote(pattern)}` : ''}`,
    );
    return parseListUnits(r.stdout);
  }

  async start(unit: string): Promise<void> {
    await this.runOk(`start ${shellQuote(unit)}`, { sudo: true, timeoutMs: 120_000 });
  }

  async stop(unit: string): Promise<void> {
    await this.runOk(`stop ${shellQuote(unit)}`, { sudo: true, timeoutMs: 120_000 });
  }

  async restart(unit: string): Promise<void> {
    await this.runOk(`restart ${shellQuote(unit)}`, { sudo: true, timeoutMs: 120_000 });
  }
}
