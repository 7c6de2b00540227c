import { packageManagerFor } from '../../src/os/package-manager.js';
import { defineSuite } from '../../src/testing/define.js';
import { checkCommandRuns, checkPackageState, choosePackage } from './checks.js';

/** Immutable hosts have no package manager; the requirement keeps them out. */
const IMMUTABLE = ['flatcar', 'coreos', 'cos'];

/**
 * The package manager works: the index refreshes, a small package installs, runs, and is removed.
 * The node is left as found (a package that was installed before is reinstalled at the end).
 * Variables: `test_package` (default `tree`), `test_command` (default the package name).
 */
export default defineSuite({
  name: 'packages',
  area: 'packages',
  category: 'functional',
  description: 'package index refresh, install and remove of a small package',
  tags: ['packages'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux', 'freebsd'], unsupportedOs: IMMUTABLE },
  cases: [
    {
      name: 'refresh',
      priority: 1,
      timeoutMs: 1_800_000,
      description: 'the package index refreshes from the configured repositories',
      async run(ctx) {
        if ((await ctx.node.os()).immutable) ctx.skip(`${ctx.node.name} is immutable`);
        const pm = await packageManagerFor(ctx.node);
        const start = Date.now();
        await pm.refresh();
        ctx.metric('refresh_time', Math.round((Date.now() - start) / 100) / 10, 's', { higherIsBetter: false });
      },
    },
    {
      name: 'install_remove',
      priority: 1,
      timeoutMs: 1_800_000,
      description: 'a small package installs, its command runs, and it removes cleanly',
      async run(ctx) {
        const node = ctx.node;
        const os = await node.os();
        if (os.immutable) ctx.skip(`${node.name} is immutable`);
        const pm = await packageManagerFor(node);
        const pkg = choosePackage(os, ctx.variables.test_package);
        const command = typeof ctx.variables.test_command === 'string' ? ctx.variables.test_command : pkg;
        const before = await pm.isInstalled(pkg);
        ctx.log.info(`${pkg} is ${before ? '' : 'not '}installed on ${node.name} before the test`);
        // Refresh first: a stale index on a fresh image is the usual reason an install 404s.
        await pm.refresh();
        try {
          if (before) {
            await pm.remove([pkg]);
            checkPackageState(node.name, pm.name, pkg, 'remove', false, await pm.isInstalled(pkg));
          }
          await pm.install([pkg]);
          checkPackageState(node.name, pm.name, pkg, 'install', true, await pm.isInstalled(pkg));
          const r = await node.execute(`${command} --version`, { noErrorLog: true, timeoutMs: 60_000 });
          checkCommandRuns(node.name, command, r.exitCode, `${r.stdout}\n${r.stderr}`);
          if (!before) {
            await pm.remove([pkg]);
            checkPackageState(node.name, pm.name, pkg, 'remove', false, await pm.isInstalled(pkg));
          }
        } finally {
          // Leave the node as found, also after a failed check.
          const now = await pm.isInstalled(pkg).catch(() => before);
          if (now !== before)
            await (before ? pm.install([pkg]) : pm.remove([pkg])).catch((e) =>
              ctx.log.warn(`restoring ${pkg}: ${String(e)}`),
            );
        }
      },
    },
  ],
});
