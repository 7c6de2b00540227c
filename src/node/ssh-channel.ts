import type ssh2 from 'ssh2';
import { PidMarkerFilter } from './pid-marker.js';

export interface ChannelOutcome {
  stdout: Buffer;
  stderr: Buffer;
  /** undefined when the channel closed without an exit status (killed, or the connection died). */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  aborted: boolean;
}

export interface ChannelRun {
  stdin: Buffer | undefined;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  /** Kills the remote process tree through another channel (a closed channel does not kill it). */
  kill(pid: number): Promise<void>;
  onKillError(err: Error): void;
}

/** How long a killed command's channel may stay open before we close it ourselves. */
const CLOSE_GRACE_MS = 5000;

/** An open exec channel and its exit status, recorded from the moment the channel exists. */
export interface OpenChannel {
  channel: ssh2.ClientChannel;
  exit: { code?: number; signal?: string };
}

export function openExec(client: ssh2.Client, command: string): Promise<OpenChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, channel) => {
        if (err) return reject(err);
        // A fast command's output, exit status and close can arrive in the same TCP read as the
        // open confirmation, before the awaiting code runs: listen for the exit synchronously.
        const exit: OpenChannel['exit'] = {};
        channel.on('exit', (code: number | null, signal?: string) => {
          if (typeof code === 'number') exit.code = code;
          else if (signal) exit.signal = signal;
        });
        resolve({ channel, exit });
      });
    } catch (e) {
      // ssh2 throws synchronously when the connection is already gone.
      reject(e);
    }
  });
}

/** Collects one command's output; on timeout or abort kills the remote process and closes the channel. */
export function runOnChannel({ channel, exit }: OpenChannel, run: ChannelRun): Promise<ChannelOutcome> {
  return new Promise((resolve) => {
    const marker = new PidMarkerFilter();
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let aborted = false;
    let killWanted = false;
    let killSent = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const signalChannel = (): void => {
      try {
        // OpenSSH >= 7.9 delivers this to the session's process; harmless where unsupported.
        channel.signal('KILL');
      } catch {
        // channel already closing
      }
    };
    // The tree kill goes first: once the top process dies its children are re-parented and the
    // script could no longer find them. Signalling the channel is only the fallback.
    const sendKill = (): void => {
      if (killSent || marker.pid === undefined) return;
      killSent = true;
      run
        .kill(marker.pid)
        .catch((e: Error) => run.onKillError(e))
        .finally(signalChannel);
    };
    const requestKill = (): void => {
      if (killWanted) return;
      killWanted = true;
      if (marker.pid === undefined) signalChannel();
      else sendKill();
      graceTimer = setTimeout(() => channel.close(), CLOSE_GRACE_MS);
      graceTimer.unref();
    };

    channel.on('data', (d: Buffer) => {
      const real = marker.push(d);
      if (real.length) stdout.push(real);
      if (killWanted) sendKill();
    });
    channel.stderr.on('data', (d: Buffer) => stderr.push(d));
    channel.on('error', () => {
      // Surfaces as a close without exit status; the caller decides what that means.
    });

    const timer = run.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          requestKill();
        }, run.timeoutMs)
      : undefined;
    const onAbort = (): void => {
      aborted = true;
      requestKill();
    };
    if (run.signal?.aborted) onAbort();
    else run.signal?.addEventListener('abort', onAbort, { once: true });

    channel.once('close', () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      run.signal?.removeEventListener('abort', onAbort);
      const rest = marker.end();
      if (rest.length) stdout.push(rest);
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        exitCode: timedOut || aborted ? undefined : exit.code,
        signal: exit.signal,
        timedOut,
        aborted,
      });
    });

    // Without input the remote stdin is /dev/null (see SshNode), so no EOF packet is needed: one
    // write less per command.
    if (run.stdin) channel.end(run.stdin);
  });
}
