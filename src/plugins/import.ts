import { pathToFileURL } from 'node:url';
import { describeThrown, guardedImport } from './guarded-import.js';
import { patchRequire, registerLisaHook } from './resolve-lisa.js';

let typeScriptHooks: Promise<void> | undefined;
let lisaHook = false;

/**
 * Imports an extension module (suite, platform, notifier) from anywhere on disk. TypeScript goes
 * through tsx's global hooks; a .ts file is loaded as an ES module even outside a "type": "module"
 * package (see ./resolve-hook.ts), so extensions share this process's one copy of lisa, and
 * `lisa-ts` resolves to the running lisa from any directory. The import runs under a time limit
 * with process.exit guarded (./guarded-import.ts): its failures are ExtensionImportErrors.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  patchRequire();
  if (/\.[mc]?ts$/.test(file)) {
    typeScriptHooks ??= (async () => {
      const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
      esm.register();
      cjs.register();
      // After tsx: hooks registered later run first, so ours sees (and can correct) tsx's answer.
      registerLisaHook();
      lisaHook = true;
    })();
    await typeScriptHooks;
  } else if (!lisaHook) {
    registerLisaHook();
    lisaHook = true;
  }
  const href = pathToFileURL(file).href;
  return guardedImport(() => import(href) as Promise<Record<string, unknown>>);
}

/**
 * The first lines of a load error: esbuild puts the file:line:column of a syntax error there. A
 * module may throw anything (a number, null, an object without a prototype): all become text.
 */
export function loadErrorDetail(e: unknown): string {
  return describeThrown(e)
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 4)
    .join('\n  ');
}

/** A plugin's registration object: the default export, looking through CommonJS interop's wrapper. */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let d = mod.default;
  const inner = (d as { default?: unknown } | undefined)?.default;
  if (d && typeof d === 'object' && inner && typeof inner === 'object' && !('type' in d)) d = inner;
  return d;
}
