import { spawn } from 'node:child_process';

export interface RunCommandOptions {
  signal?: AbortSignal;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each chunk of combined output (progress logging of long builds). */
  onOutput?: (text: string) => void;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs a host command and rejects with the command line and the tail of its output on failure,
 * because a bare "exit code 1" from debootstrap or mkfs tells the user nothing.
 */
export function runCommand(cmd: string, args: string[], options: RunCommandOptions = {}): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new Error(`aborted before running ${cmd}`));
    const child = spawn(cmd, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      // Own process group so an abort can take down debootstrap's dpkg children too.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onOutput?.(d.toString());
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onOutput?.(d.toString());
    });
    const onAbort = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolve({ stdout, stderr });
      const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
      const why = options.signal?.aborted ? 'aborted' : sig ? `killed by ${sig}` : `exit code ${code}`;
      reject(new Error(`${cmd} ${args.join(' ')} failed (${why})${tail ? `:\n${tail}` : ''}`));
    });
    if (child.stdin) {
      // A command that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

/** True when `cmd` is found on PATH (or is an existing absolute path). */
export async function hasCommand(cmd: string): Promise<boolean> {
  try {
    await runCommand('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}
