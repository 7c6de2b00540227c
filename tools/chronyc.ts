import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface ChronyTracking {
  referenceId: string;
  /** Name or address of the selected source; empty when none is selected. */
  referenceName: string;
  stratum: number;
  /** Seconds; positive means the system clock is fast. */
  systemTimeOffsetS: number;
  lastOffsetS: number;
  rmsOffsetS: number;
  rootDelayS: number;
  rootDispersionS: number;
  /** `Normal`, `Insert second`, `Delete second` or `Not synchronised`. */
  leapStatus: string;
  synchronized: boolean;
}

/**
 * Parses `chronyc -c tracking` (CSV). Field order from chronyc's source: ref id (hex), ref name,
 * stratum, ref time, system time offset, last offset, rms offset, frequency ppm, residual freq,
 * skew, root delay, root dispersion, update interval, leap status.
 */
export function parseChronycTrackingCsv(text: string): ChronyTracking {
  const line = text.split('\n').find((l) => l.split(',').length >= 14);
  if (!line) throw new Error(`chronyc -c tracking: unexpected output: ${text.trim().slice(0, 200)}`);
  const f = line.split(',');
  const leapStatus = f[13]!.trim();
  const referenceId = f[0]!.trim();
  const stratum = Number(f[2]);
  return {
    referenceId,
    referenceName: f[1]!.trim(),
    stratum,
    systemTimeOffsetS: Number(f[4]),
    lastOffsetS: Number(f[5]),
    rmsOffsetS: Number(f[6]),
    rootDelayS: Number(f[10]),
    rootDispersionS: Number(f[11]),
    leapStatus,
    synchronized: leapStatus !== 'Not synchronised' && referenceId !== '00000000' && stratum > 0 && stratum < 16,
  };
}

/** `chronyc`: chronyd's view of the clock. */
export class Chronyc extends Tool {
  readonly command = 'chronyc';
  override readonly packages: PackageNames = { default: 'chrony' };

  async tracking(): Promise<ChronyTracking> {
    return parseChronycTrackingCsv((await this.runOk('-c tracking', { timeoutMs: 30_000 })).stdout);
  }

  /** Asks chronyd to step the clock now (after a restore from snapshot, say). */
  async makestep(): Promise<void> {
    await this.runOk('makestep', { sudo: true });
  }
}
