/**
 * Makes `import ... from 'lisa-ts'` (and `lisa-ts/tools`) in extension code anywhere on disk
 * resolve to the lisa that is running, without a symlink or an install next to the extension.
 * Resolution goes through this package's own `exports`, as if the import were written inside it.
 */
import Module, { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const NAME = 'lisa-ts';

/** The package root: dist/src/plugins/ -> three levels up. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function isLisaSpecifier(specifier: string): boolean {
  return specifier === NAME || specifier.startsWith(`${NAME}/`);
}

const packageJson = join(packageRoot, 'package.json');

/**
 * Registers the ESM resolve hook (./resolve-hook.ts). Hooks registered later run first, so this is
 * registered again after tsx's: it must see tsx's answer to correct a .ts file's format.
 */
export function registerLisaHook(): void {
  register('./resolve-hook.js', import.meta.url, { data: { parentURL: pathToFileURL(packageJson).href } });
}

let requirePatched = false;

/** The CommonJS equivalent, for JavaScript extensions that use require(); idempotent. */
export function patchRequire(): void {
  if (requirePatched) return;
  requirePatched = true;
  // require() (a .cjs or .cts file, or .js in a CommonJS package) does not go through ESM hooks.
  const internal = Module as unknown as {
    _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string;
    _nodeModulePaths: (dir: string) => string[];
  };
  // As if required from this package's root: Node then resolves the name through our `exports`.
  const self = { id: packageJson, filename: packageJson, paths: internal._nodeModulePaths(packageRoot) };
  const original = internal._resolveFilename;
  internal._resolveFilename = function (request, parent, ...rest) {
    return original.call(this, request, isLisaSpecifier(request) ? self : parent, ...rest);
  };
}
