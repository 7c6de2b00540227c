import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { HtmlNotifier } from '../../src/notifiers/html.js';
import { feed, makeContext, runEvents } from '../fixtures/notifiers/run-events.js';
import { readyPlatformYaml, repoRoot, runCli, runDirs, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';

/** Debian's chromium, as CI installs it; the flags keep it off the (closed) network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// CI installs chromium (.ci/run) and must run this; elsewhere a machine without it skips, saying why.
const noBrowser =
  !existsSync('/usr/bin/chromium') && !process.env['CI']
    ? 'Debian chromium is not installed (apt-get install chromium)'
    : false;

test(
  'the HTML report of a run with failures, skips, retries and sub-results works in a real browser',
  { skip: noBrowser },
  async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'lisa-html-browser-'));
    const profile = mkdtempSync(join(tmpdir(), 'lisa-chromium-'));
    const notifier = new HtmlNotifier(makeContext(runDir));
    await feed(notifier, runEvents(runDir));
    await notifier.finish();
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(notifier.path).href);
      const visible = () => page.locator('tr[data-status]:visible');
      assert.equal(await visible().count(), 9);
      // Failures first.
      assert.equal(await page.locator('tr[data-status]').first().getAttribute('data-status'), 'FAILED');

      // A failure's sub-results are open from the start and name the failed check; they fold away.
      const failure = page.locator('tr[data-status="FAILED"]');
      assert.match(await failure.innerText(), /no_call_trace: Call Trace at ext4_readdir/);
      await failure.locator('summary', { hasText: 'sub-result' }).click();
      assert.ok(!(await failure.getByText('no_call_trace').isVisible()));
      await failure.locator('summary', { hasText: 'sub-result' }).click();
      assert.match(await failure.innerText(), /no_call_trace: Call Trace at ext4_readdir/);
      // The retried case shows both attempts.
      const flaky = page.locator('tr', { hasText: 'core.flaky' });
      await flaky.locator('summary', { hasText: 'attempts' }).click();
      assert.match(await flaky.innerText(), /attempt 1: FAILED .* timeout waiting for ssh/);

      // Filters: only FAILED and SKIPPED.
      for (const st of ['PASSED', 'ATTEMPTED']) await page.locator(`.filters input[value="${st}"]`).uncheck();
      // The callback runs in the browser: DOM types are not in this project's lib.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access
      assert.deepEqual(await visible().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))), [
        'FAILED',
        'SKIPPED',
      ]);
      for (const st of ['PASSED', 'ATTEMPTED']) await page.locator(`.filters input[value="${st}"]`).check();

      // Search by words in the case id or message.
      await page.locator('#search').fill('iperf');
      assert.equal(await visible().count(), 2);
      await page.locator('#search').fill('sriov qemu');
      assert.equal(await visible().count(), 1);
      await page.locator('#search').fill('');
      assert.equal(await visible().count(), 9);

      const shots = join(repoRoot, 'test-artifacts');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(runDir, { recursive: true, force: true });
    }
  },
);

/** A suite beside the results fixtures: a failure explained by its sub-results. */
const KERNEL_SUITE = `export default { name: 'kernel', area: 'report', cases: [
  { name: 'checks', async run(ctx) {
      const r = await ctx.node.execute('echo checking dmesg; echo "[ 3.1] BUG: soft lockup" >&2; uname -r');
      ctx.subResult('cmdline', 'PASSED');
      ctx.subResult('no_lockup', 'FAILED', 'BUG: soft lockup on CPU#1');
      throw new Error('1 of 2 kernel checks failed on ' + r.stdout.trim());
  } },
] };
`;

test(
  'the report of a real lisa run (failures, skip, retry, sub-results): what a reader sees and clicks, and every link exists',
  { skip: noBrowser },
  async () => {
    const node = await startSshd();
    const dir = tempDir();
    const profile = mkdtempSync(join(tmpdir(), 'lisa-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    try {
      // The node's user must see the marker: the directory is made readable to it.
      chmodSync(dir, 0o755);
      const marker = join(dir, 'broken.conf');
      writeFileSync(marker, 'broken\n');
      mkdirSync(join(dir, 'suite'));
      writeFileSync(join(dir, 'suite', 'kernel.mjs'), KERNEL_SUITE);
      const file = writeRunbook(
        dir,
        'runbook.yml',
        `name: nightly\nlog_path: ${join(dir, 'runs')}\nextension:\n  - ${join(repoRoot, 'test/fixtures/suites/results')}\n  - ${join(dir, 'suite')}\n` +
          `variable:\n  - name: marker\n    value: ${marker}\n  - name: flaky\n    value: "yes"\n${readyPlatformYaml([node])}` +
          `testcase:\n  - criteria:\n      area: results\n  - criteria:\n      area: report\n  - criteria:\n      name: retried\n    retry: 1\n` +
          `notifier:\n  - type: html\nconcurrency: 1\n`,
      );
      const r = runCli(['run', file]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const report = join(runDirs(join(dir, 'runs'))[0]!, 'report.html');

      const page = browser.pages()[0] ?? (await browser.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(report).href);

      // At the top: the verdict, the counts, and what was tested.
      assert.equal(await page.locator('h1 .verdict').innerText(), 'FAILED');
      assert.match(await page.locator('#summary').innerText(), /^9 passed · 2 failed · 1 skipped · 0 attempted$/);
      assert.match(
        await page.locator('#environments').innerText(),
        /env1.*ready.*node1.*(Debian|Ubuntu|Linux).*kernel \S+/s,
      );

      // Failures first, each with its message, the end of its log and a link to the log.
      const failures = page.locator('section.failure');
      assert.equal(await failures.count(), 2);
      const config = failures.filter({ hasText: 'results.config_file' });
      assert.match(await config.locator('pre.msg').first().innerText(), /the node has a broken config: broken/);
      const kernel = failures.filter({ hasText: 'kernel.checks' });
      assert.match(await kernel.innerText(), /FAILED no_lockup: BUG: soft lockup on CPU#1/, 'the failed sub-result');
      assert.match(await kernel.locator('.excerpt').innerText(), /end of case\.log/);
      await kernel.getByRole('link', { name: 'case log' }).click();
      assert.match(
        await page.locator('body').innerText(),
        /1 of 2 kernel checks failed/,
        'the link opens the case log',
      );
      await page.goBack();

      // Every link on the page points at a file that exists.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.length >= 12, `links: ${hrefs.length}`);
      for (const href of hrefs as string[]) {
        const target = resolve(dirname(report), decodeURIComponent(href));
        assert.ok(existsSync(target), `${href} -> ${target} exists`);
        assert.equal(fileURLToPath(new URL(href, pathToFileURL(report))), target);
      }

      // The retried case shows its attempts; the first one's failure is there with its own log.
      const retried = page.locator('tr[data-status]', { hasText: 'results.retried' });
      assert.equal(await retried.getAttribute('data-status'), 'PASSED');
      await retried.locator('summary', { hasText: '2 attempts' }).click();
      assert.match(
        await retried.locator('.attempts').innerText(),
        /attempt 1: FAILED .* first attempt fails log\s+attempt 2: PASSED/s,
      );

      // Sub-results nest under their case: folded when all passed, open when one failed.
      const sub = page.locator('tr[data-status]', { hasText: 'results.subchecks' });
      assert.ok(!(await sub.getByText('kernel_cmdline').isVisible()));
      await sub.locator('summary', { hasText: '2 sub-results' }).click();
      assert.ok(await sub.getByText('kernel_cmdline').isVisible());
      const failedRow = page.locator('tr[data-status="FAILED"]', { hasText: 'kernel.checks' });
      assert.ok(await failedRow.getByText('no_lockup').isVisible());

      // Filter by status with the count chips; groups with nothing left disappear.
      const rows = page.locator('tr[data-status]:visible');
      assert.equal(await rows.count(), 12);
      await page.locator('.chip.PASSED input').uncheck();
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call
      assert.deepEqual((await rows.evaluateAll((rs) => rs.map((x) => x.getAttribute('data-status')))).sort(), [
        'FAILED',
        'FAILED',
        'SKIPPED',
      ]);
      assert.equal(await page.locator('#shown').innerText(), '3 of 12 cases shown');
      await page.locator('.chip.PASSED input').check();
      await page.locator('#search').fill('broken config');
      assert.equal(await rows.count(), 1);
      assert.equal(await page.locator('.group-head:visible').count(), 1, 'only the group of the match');
      await page.locator('#search').fill('');

      const shots = join(repoRoot, 'test-artifacts');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'report-real-run.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await node.stop();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
