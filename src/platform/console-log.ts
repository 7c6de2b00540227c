/**
 * A console log file (serial-over-LAN, COM1 pipe) read while a machine boots, so a platform that
 * waits for SSH on a console it does not own (bare metal, Hyper-V) stops as soon as the kernel died.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { detectPanics } from './qemu/panic.js';

const FATAL = /Kernel panic - not syncing/;

/** Bytes in a console log so far: where to start looking for a panic of the boot to come. */
export function consoleSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The first fatal panic line a console log shows after byte `from`, if any. Only "Kernel panic -
 * not syncing" counts: a warning or call trace during boot does not stop a machine from coming up.
 */
export function consolePanic(file: string, from: number): string | undefined {
  const size = consoleSize(file);
  if (size <= from) return undefined;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size - from, 4 << 20));
    const n = readSync(fd, buf, 0, buf.length, size - buf.length);
    // The shared detector (escape codes and CRs cleaned), keeping only the fatal kind.
    const line = detectPanics(buf.subarray(0, n).toString('latin1')).find((f) => FATAL.test(f.line))?.line;
    return line?.slice(line.search(FATAL));
  } finally {
    closeSync(fd);
  }
}
