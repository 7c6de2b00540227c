import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../process/alive.js';

/** What a run writes about each VM before starting it, so a later run can clean up after a crash. */
export interface VmRecord {
  id: string;
  /** The lisa process that owns the VM; when it is dead, the VM is stale. */
  ownerPid: number;
  pid?: number;
  sshPort: number;
  qmpSocket: string;
  serialLog: string;
  files: string[];
  startedAt: string;
  /** Left running on purpose by keep_environment; not reaped. */
  kept?: boolean;
}

export function registryDir(runDir: string): string {
  return join(runDir, 'qemu', 'vms');
}

/** Writes synchronously (write + rename) so the record exists even if we are killed right after. */
export function writeVmRecord(runDir: string, rec: VmRecord): void {
  const dir = registryDir(runDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${rec.id}.json`);
  writeFileSync(`${path}.tmp`, JSON.stringify(rec, null, 2));
  renameSync(`${path}.tmp`, path);
}

export function removeVmRecord(runDir: string, id: string): void {
  rmSync(join(registryDir(runDir), `${id}.json`), { force: true });
}

export function readVmRecords(runDir: string): VmRecord[] {
  const dir = registryDir(runDir);
  if (!existsSync(dir)) return [];
  const out: VmRecord[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as VmRecord);
    } catch {
      /* half-written by a killed run: nothing to act on */
    }
  }
  return out;
}

/** True when `pid` is still the QEMU we started (pids are reused): its command line names our QMP socket. */
export function isOurQemu(rec: VmRecord): boolean {
  if (!rec.pid) return false;
  try {
    const cmdline = readFileSync(`/proc/${rec.pid}/cmdline`, 'utf8');
    return cmdline.includes(rec.qmpSocket);
  } catch {
    return false;
  }
}

export function killRecorded(rec: VmRecord): boolean {
  if (!isOurQemu(rec)) return false;
  try {
    process.kill(rec.pid!, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

export interface ReapResult {
  killed: { runDir: string; id: string; pid: number }[];
  /** Records of VMs that are already gone, removed. */
  cleaned: number;
}

/**
 * Kills the VMs of runs whose lisa process is gone (crash, SIGKILL) under `runRoot`, where each
 * run has its own directory. Kept environments are left alone unless `includeKept`.
 */
export function reapStaleVms(runRoot: string, options: { includeKept?: boolean } = {}): ReapResult {
  const result: ReapResult = { killed: [], cleaned: 0 };
  if (!existsSync(runRoot)) return result;
  for (const entry of readdirSync(runRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const runDir = join(runRoot, entry.name);
    for (const rec of readVmRecords(runDir)) {
      if (processAlive(rec.ownerPid)) continue;
      if (rec.kept && !options.includeKept) continue;
      if (killRecorded(rec)) result.killed.push({ runDir, id: rec.id, pid: rec.pid! });
      else result.cleaned++;
      removeVmRecord(runDir, rec.id);
    }
  }
  return result;
}
