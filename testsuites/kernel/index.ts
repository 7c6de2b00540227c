import { fail } from '../../src/testing/assert.js';
import { defineSuite } from '../../src/testing/define.js';
import { Cmdline } from '../../tools/cmdline.js';
import { Dmesg } from '../../tools/dmesg.js';
import { Journalctl } from '../../tools/journalctl.js';
import { Lsmod } from '../../tools/lsmod.js';
import { Modinfo } from '../../tools/modinfo.js';
import { Modprobe } from '../../tools/modprobe.js';
import { Sysctl } from '../../tools/sysctl.js';
import { Uname } from '../../tools/uname.js';
import {
  checkCmdline,
  checkJournal,
  checkKernelLog,
  checkModuleCycle,
  checkSysctls,
  chooseModule,
  cmdlineProblems,
  ignorePatterns,
  journalDefects,
  kernelDefects,
  REQUIRED_SYSCTLS,
} from './checks.js';

/** Harmless modules to load and unload: virtual network devices with no side effects until configured. */
const DEFAULT_MODULES = ['dummy', 'veth', 'tun', 'loop'];

/**
 * The running kernel: clean logs, working modules, readable sysctls, a sane command line.
 * Variables: `dmesg_ignore`, `journal_ignore` (regex or list), `modules` (list to load and unload;
 * default the first available of dummy, veth, tun, loop), `sysctl_keys` (extra keys),
 * `require_console` (default true), `require_root` (default true).
 */
export default defineSuite({
  name: 'kernel',
  area: 'kernel',
  category: 'functional',
  description: 'dmesg and journal free of defects, modules load and unload, sysctl readable, command line sane',
  tags: ['kernel'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'expected_kernel',
      priority: 0,
      timeoutMs: 120_000,
      description: 'the node runs the kernel release in `kernel_version` (e.g. the one kernel_installer installed)',
      async run(ctx) {
        const expected = ctx.variables.kernel_version;
        if (expected === undefined || expected === '') ctx.skip('no kernel_version variable to compare with');
        const release = await ctx.tool(Uname).release();
        ctx.log.info(`${ctx.node.name} runs ${release}`);
        if (release !== String(expected)) fail(`kernel release on ${ctx.node.name}`, String(expected), release);
      },
    },
    {
      name: 'dmesg_clean',
      priority: 0,
      timeoutMs: 300_000,
      description:
        'no panic, oops, BUG, call trace, hung task, lockup, I/O or filesystem error, or system-process segfault in dmesg',
      async run(ctx) {
        const findings = await ctx.tool(Dmesg).defects();
        checkKernelLog(ctx.node.name, kernelDefects(findings, ignorePatterns(ctx.variables.dmesg_ignore)));
      },
    },
    {
      name: 'journal_clean',
      priority: 1,
      timeoutMs: 600_000,
      description: "this boot's journal has no core dumps, failed units, kernel defects or critical messages",
      async run(ctx) {
        const journal = ctx.tool(Journalctl);
        if (!(await journal.exists())) ctx.skip(`${ctx.node.name} has no systemd journal`);
        // warning and worse: kernel defect lines such as call traces are logged at warning.
        const entries = await journal.entries({ priority: 4, boot: 0 });
        ctx.log.info(`${entries.length} journal entries at warning or worse on ${ctx.node.name}`);
        checkJournal(ctx.node.name, journalDefects(entries, ignorePatterns(ctx.variables.journal_ignore)));
      },
    },
    {
      name: 'module_load_unload',
      priority: 1,
      timeoutMs: 600_000,
      description: 'a harmless module loads with modprobe and unloads with modprobe -r',
      async run(ctx) {
        const node = ctx.node;
        const lsmod = ctx.tool(Lsmod, node);
        if ((await node.execute('test -e /proc/modules', { noErrorLog: true })).exitCode !== 0) {
          ctx.skip(`the kernel of ${node.name} has no loadable module support`);
        }
        const requested = Array.isArray(ctx.variables.modules) ? ctx.variables.modules.map(String) : undefined;
        const candidates = requested ?? DEFAULT_MODULES;
        const modinfo = ctx.tool(Modinfo, node);
        const info = new Map(await Promise.all(candidates.map(async (m) => [m, await modinfo.info(m)] as const)));
        const loaded = new Set((await lsmod.list()).map((m) => m.name));
        const modules = requested ?? [chooseModule(node.name, candidates, info, loaded)];
        const modprobe = ctx.tool(Modprobe, node);
        for (const m of modules) {
          if (requested) chooseModule(node.name, [m], info, loaded);
          await modprobe.load(m);
          const afterLoad = await lsmod.isLoaded(m);
          await modprobe.unload(m);
          checkModuleCycle(node.name, m, afterLoad, await lsmod.isLoaded(m));
        }
      },
    },
    {
      name: 'sysctl_readable',
      priority: 2,
      timeoutMs: 300_000,
      description: 'core sysctl keys are readable and agree with uname',
      async run(ctx) {
        const extra = Array.isArray(ctx.variables.sysctl_keys) ? ctx.variables.sysctl_keys.map(String) : [];
        const keys = [...REQUIRED_SYSCTLS, ...extra];
        const values = await ctx.tool(Sysctl).getMany(keys);
        checkSysctls(ctx.node.name, values, keys, (await ctx.tool(Uname).info()).kernelRelease);
      },
    },
    {
      name: 'cmdline_sane',
      priority: 1,
      timeoutMs: 300_000,
      description: 'the kernel command line names root and a console and has no leftover debugging parameters',
      async run(ctx) {
        const c = await ctx.tool(Cmdline).read();
        const policy = {
          requireConsole: ctx.variables.require_console !== false,
          requireRoot: ctx.variables.require_root !== false,
        };
        checkCmdline(ctx.node.name, c, cmdlineProblems(c, policy));
      },
    },
  ],
});
