import { pathToFileURL } from 'node:url';
import { installLisaResolution } from './resolve-lisa.js';

let typeScriptHooks: Promise<void> | undefined;

/**
 * Imports an extension module (suite, platform, notifier) from anywhere on disk. TypeScript goes
 * through tsx's global hooks, ESM and CommonJS both: a directory without a package.json makes tsx
 * compile to CommonJS, and the CommonJS hook is what turns `export` syntax there into something
 * Node can load. `lisa-ts` resolves to the running lisa either way.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  installLisaResolution();
  if (/\.[mc]?ts$/.test(file)) {
    typeScriptHooks ??= (async () => {
      const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
      esm.register();
      cjs.register();
    })();
    await typeScriptHooks;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** The first lines of a load error: esbuild puts the file:line:column of a syntax error there. */
export function loadErrorDetail(e: unknown): string {
  return String(e instanceof Error ? e.message : e)
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
