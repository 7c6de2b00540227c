/** ESM resolve hook (module.register): `lisa-ts` resolves from this package, wherever the importer is. */
let parentURL = '';

export function initialize(data: { parentURL: string }): void {
  parentURL = data.parentURL;
}

type Resolved = { url: string; format?: string | null };
type Next = (specifier: string, context: { parentURL?: string }) => Promise<Resolved>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<Resolved> {
  if (specifier === 'lisa-ts' || specifier.startsWith('lisa-ts/')) return next(specifier, { ...context, parentURL });
  const resolved = await next(specifier, context);
  // A .ts file outside any "type": "module" package would be compiled to CommonJS, and its
  // require('lisa-ts') would get a second copy of lisa (Node 20 cannot require an ES module).
  // Extension code is written with import/export: load it as the ES module it is.
  if (resolved.format === 'commonjs' && /\.ts$/.test(resolved.url) && !resolved.url.includes('/node_modules/')) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
