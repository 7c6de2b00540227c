import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../src/results/events.js';

/** The repository root, whether tests run from dist/test or from test/ under tsx. */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

export const cliPath = join(repoRoot, 'dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function requireBuiltCli(): void {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
}

/** Runs the built CLI to completion. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliResult {
  requireBuiltCli();
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI in the background; for tests that signal it mid-run. */
export function startCli(args: string[], options: { cwd?: string } = {}) {
  requireBuiltCli();
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done, output: () => ({ stdout, stderr }) };
}

export function tempDir(prefix = 'lisa-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeRunbook(dir: string, name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** The single run directory below a run root. */
export function onlyRunDir(runRoot: string): string {
  const dirs = readdirSync(runRoot);
  if (dirs.length !== 1) throw new Error(`expected one run in ${runRoot}, found ${dirs.join(', ')}`);
  return join(runRoot, dirs[0]!);
}

export function readEvents(runDir: string): RunEvent[] {
  const file = join(runDir, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunEvent);
}

/** The run directories below a run root, oldest first (names start with the start time). */
export function runDirs(runRoot: string): string[] {
  return readdirSync(runRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(runRoot, e.name))
    .sort();
}

/** Every file below a directory, recursively. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = resolve(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKeyFile: string;
}

/**
 * `platform: ready` plus an `environment:` section with one environment (`env1`, ...) per
 * machine, each holding one remote node (`node1`, ...).
 */
export function readyPlatformYaml(targets: SshTarget[]): string {
  const envs = targets.map(
    (t, i) => `    - name: env${i + 1}
      nodes:
        - type: remote
          name: node${i + 1}
          address: ${t.host}
          port: ${t.port}
          username: ${t.username}
          private_key_file: ${t.privateKeyFile}`,
  );
  return `platform:\n  - type: ready\nenvironment:\n  environments:\n${envs.join('\n')}\n`;
}
