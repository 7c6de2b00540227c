import { defineSuite } from '../../src/testing/define.js';
import { Kselftest } from '../../tools/kselftest.js';
import { Ltp } from '../../tools/ltp.js';
import {
  checkKselftestRun,
  checkLtpRun,
  listVariable,
  LTP_FULL_RUNTEST,
  LTP_SMOKE_TESTS,
  ltpSubResultStatus,
  tapSubResultStatus,
} from './checks.js';

/**
 * Upstream kernel test suites, each test reported as a sub-result. Both are looked for as
 * prebuilt trees (distributions do not package them). Variables: `ltp_root` (/opt/ltp), `ltp_full`
 * (run LTP_FULL_RUNTEST), `ltp_runtest` (runtest files), `ltp_tests` (test names),
 * `kselftest_root` (/opt/kselftest), `kselftest_tests` (collections or collection:test).
 */
export default defineSuite({
  name: 'upstream',
  area: 'upstream',
  category: 'community',
  description: 'LTP and kernel selftests with per-test sub-results',
  tags: ['upstream', 'kernel'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'ltp',
      priority: 3,
      timeoutMs: 4 * 3_600_000,
      description: 'Linux Test Project: a fast syscall selection by default, the full set with ltp_full',
      async run(ctx) {
        const ltp = ctx.tool(Ltp);
        if (typeof ctx.variables.ltp_root === 'string') ltp.root = ctx.variables.ltp_root;
        if (!(await ltp.exists()))
          ctx.skip(`LTP is not installed at ${ltp.root} (set ltp_root, or install a prebuilt LTP there)`);
        const full = ctx.variables.ltp_full === true || ctx.variables.ltp_full === 'true';
        const runtestFiles = listVariable(ctx.variables.ltp_runtest, 'ltp_runtest') ?? (full ? LTP_FULL_RUNTEST : []);
        const tests =
          listVariable(ctx.variables.ltp_tests, 'ltp_tests') ?? (runtestFiles.length ? [] : LTP_SMOKE_TESTS);
        const run = await ltp.runTests({ runtestFiles, tests, timeoutMs: 4 * 3_600_000 - 60_000 });
        for (const r of run.results)
          ctx.subResult(r.name, ltpSubResultStatus(r.status), `${r.status} exit ${r.exitValue}`);
        ctx.metric('ltp_tests', run.results.length);
        checkLtpRun(ctx.node.name, run);
      },
    },
    {
      name: 'kselftest',
      priority: 3,
      timeoutMs: 4 * 3_600_000,
      description: 'kernel selftests (run_kselftest.sh), one sub-result per test program',
      async run(ctx) {
        const ks = ctx.tool(Kselftest);
        if (typeof ctx.variables.kselftest_root === 'string') ks.root = ctx.variables.kselftest_root;
        if (!(await ks.exists())) ctx.skip(`kselftest is not installed at ${ks.root} (set kselftest_root)`);
        const results = await ks.runTests({
          tests: listVariable(ctx.variables.kselftest_tests, 'kselftest_tests') ?? [],
          timeoutMs: 4 * 3_600_000 - 60_000,
        });
        for (const r of results) ctx.subResult(r.name, tapSubResultStatus(r.status), r.directive);
        checkKselftestRun(ctx.node.name, results);
      },
    },
  ],
});
