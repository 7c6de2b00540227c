import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { HtmlNotifier } from '../../src/notifiers/html.js';
import { feed, makeContext, runEvents } from '../fixtures/notifiers/run-events.js';
import { repoRoot } from '../helpers/cli.js';

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
