/**
 * Remote commands start with `echo MARKER$$` so that the PID of the command's process is known
 * (a timeout or abort kills it through a second channel). This strips that first line from stdout.
 */
export const PID_MARKER = '@lisa-pid:';
const MAX_SEARCH = 64 * 1024;

export class PidMarkerFilter {
  pid: number | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;

  /** Returns the part of `chunk` that belongs to the command's real stdout. */
  push(chunk: Buffer): Buffer {
    if (this.done) return chunk;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const all = Buffer.concat(this.pending);
    const at = all.indexOf(PID_MARKER);
    const eol = at >= 0 ? all.indexOf(10, at) : -1;
    if (eol >= 0) {
      this.pid = Number(all.subarray(at + PID_MARKER.length, eol).toString('latin1'));
      this.finish();
      // Anything before the marker is login-shell noise (e.g. an rc file that prints).
      return all.subarray(eol + 1);
    }
    if (this.pendingBytes > MAX_SEARCH) {
      this.finish();
      return all;
    }
    this.pending = [all];
    return Buffer.alloc(0);
  }

  /** At end of stream: whatever was held back when no marker ever came. */
  end(): Buffer {
    if (this.done) return Buffer.alloc(0);
    const all = Buffer.concat(this.pending);
    this.finish();
    return all;
  }

  private finish(): void {
    this.done = true;
    this.pending = [];
  }
}
