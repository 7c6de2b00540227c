/**
 * Platforms and notifiers named by module path (`type: ./plugins/x.mts`), as Playwright loads
 * reporters: the path is relative to the runbook file that names it, and the module's default
 * export is the registration. Loaded before validation, since their schemas check the entries.
 */
import path from 'node:path';
import { loadNotifierModule } from '../notifiers/registry.js';
import type { NotifierRegistration } from '../notifiers/types.js';
import { PluginLoadError, isModulePath } from '../plugins/load-registration.js';
import type { PlatformRegistration } from '../platform/registration.js';
import { loadPlatformModule } from '../platform/registry.js';
import { errorAt, get, type LNode } from './located.js';
import type { RunbookPlugins } from './schema/runbook.js';

export { isModulePath };

/** Where the module a `type:` names lives: relative to the file the `type:` was written in. */
export function modulePathAt(typeNode: LNode, written: string): string {
  return path.resolve(path.dirname(typeNode.pos.absFile), written);
}

export async function loadRunbookPlugins(tree: LNode): Promise<RunbookPlugins> {
  const platforms = new Map<string, PlatformRegistration>();
  const notifiers = new Map<string, NotifierRegistration>();
  const sections = [
    ['platform', platforms, loadPlatformModule],
    ['notifier', notifiers, loadNotifierModule],
  ] as const;
  for (const [section, found, load] of sections) {
    const list = get(tree, section);
    if (list?.kind !== 'seq') continue;
    for (const [i, item] of list.items.entries()) {
      const typeNode = get(item, 'type');
      const written = typeNode?.kind === 'scalar' ? typeNode.value : undefined;
      if (!typeNode || typeof written !== 'string' || !isModulePath(written) || found.has(written)) continue;
      try {
        (found as Map<string, unknown>).set(written, await load(modulePathAt(typeNode, written)));
      } catch (e) {
        if (!(e instanceof PluginLoadError)) throw e;
        throw errorAt(typeNode.pos, [section, i, 'type'], e.message);
      }
    }
  }
  return { platforms, notifiers };
}
