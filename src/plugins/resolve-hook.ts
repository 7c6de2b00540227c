/** ESM resolve hook (module.register): `lisa-ts` resolves from this package, wherever the importer is. */
let parentURL = '';

export function initialize(data: { parentURL: string }): void {
  parentURL = data.parentURL;
}

type Next = (specifier: string, context: { parentURL?: string }) => Promise<unknown>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<unknown> {
  if (specifier === 'lisa-ts' || specifier.startsWith('lisa-ts/')) return next(specifier, { ...context, parentURL });
  return next(specifier, context);
}
