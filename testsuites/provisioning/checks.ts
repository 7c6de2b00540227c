import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import { classifyKernelLine, type KernelMessage } from '../../tools/dmesg.js';
import type { SystemdUnit } from '../../tools/systemctl.js';

/**
 * Pure checks of the provisioning suite: each takes facts a tool gathered and throws an
 * AssertionFailure naming what was expected and what was found.
 */

/**
 * A bare "Call Trace:" says nothing; the task line the kernel prints above it ("CPU: 0 PID: 412
 * Comm: modprobe ...") or the line just before names what was running.
 */
function traceContext(messages: readonly KernelMessage[], index: number): string {
  for (let i = index - 1; i >= Math.max(0, index - 12); i--) {
    const m = /CPU: \d+ PID: \d+ Comm: \S+/.exec(messages[i]!.message);
    if (m) return ` (${m[0]})`;
  }
  return index > 0 ? ` (after: ${messages[index - 1]!.message.trim()})` : '';
}

/** Kernel log defects that mean the boot was not clean, minus lines the runbook chose to ignore. */
export function checkKernelLogClean(
  nodeName: string,
  messages: readonly KernelMessage[],
  ignore: readonly RegExp[] = [],
): void {
  const described: string[] = [];
  messages.forEach((m, i) => {
    const defect = classifyKernelLine(m.message);
    if (!defect || ignore.some((re) => re.test(m.message))) return;
    const context = defect === 'call-trace' ? traceContext(messages, i) : '';
    described.push(`[${m.time.toFixed(3)}] ${defect}: ${m.message.trim()}${context}`);
  });
  expectNone(`kernel log of ${nodeName}`, described, String, 5);
}

export function checkNoFailedUnits(nodeName: string, units: readonly SystemdUnit[]): void {
  expectNone(
    `failed systemd units on ${nodeName}`,
    units,
    (u) => `${u.unit} (${u.sub}${u.description ? `: ${u.description}` : ''})`,
  );
}

/**
 * `systemctl is-system-running` after boot: `running` is healthy; `degraded` means a unit failed.
 * Failed units are passed so the message names them.
 */
export function checkSystemRunning(nodeName: string, state: string, failed: readonly SystemdUnit[] = []): void {
  if (state === 'running') return;
  const units = failed.length ? `${state}, failed: ${failed.map((u) => u.unit).join(', ')}` : state;
  fail(`system state of ${nodeName}`, 'running', units);
}

export function checkBootIdChanged(nodeName: string, before: string, after: string): void {
  expectTrue(
    `boot id of ${nodeName} after reboot`,
    before.trim() !== after.trim() && after.trim() !== '',
    `a new boot id (was ${before.trim()})`,
    after.trim() || 'none',
  );
}

/** Parses the `dmesg_ignore` variable: a regex or a list of them. */
export function ignorePatterns(value: unknown): RegExp[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => new RegExp(String(v)));
}
