import { existsSync, statSync } from 'node:fs';
import { defaultExport, importModule, loadErrorDetail } from './import.js';

/** A runbook `type:` that names a module rather than a built-in: `./x.mts`, `../x.ts`, `/abs/x.js`. */
export function isModulePath(type: string): boolean {
  return type.startsWith('./') || type.startsWith('../') || type.startsWith('/');
}

/** Why a plugin module cannot be used; the runbook loader adds file:line:col and the key. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
}

/**
 * Imports `file` and returns its default export after `problem` (the kind's shape check) accepts
 * it. Modules are cached by Node, so loading the same path twice (validation, then the run)
 * returns the same object.
 */
export async function loadRegistration<T>(
  file: string,
  kind: string,
  problem: (value: unknown) => string | undefined,
): Promise<T> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new PluginLoadError(`${kind} module not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (e) {
    throw new PluginLoadError(`cannot load ${kind} module ${file}: ${loadErrorDetail(e)}`);
  }
  const value = defaultExport(mod);
  if (value === undefined) {
    throw new PluginLoadError(
      `${kind} module ${file} has no default export (export default define${cap(kind)}({...}))`,
    );
  }
  const why = problem(value);
  if (why) throw new PluginLoadError(`the default export of ${kind} module ${file} ${why}`);
  return value as T;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
