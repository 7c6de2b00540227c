import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlNotifier } from '../../../src/notifiers/html.js';
import { esc } from '../../../src/notifiers/html-render.js';
import { COMBO_A, feed, makeContext, runEvents, SECRET } from '../../fixtures/notifiers/run-events.js';

test('report.html is self-contained, escaped, filterable and links logs relatively', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'lisa-html-'));
  try {
    const notifier = new HtmlNotifier(makeContext(runDir), { throttle_ms: 60_000 });
    const events = runEvents(runDir);
    // Only logs that exist are linked: the failed case's log is on disk, the others are not.
    const klogDir = join(runDir, 'cases', `${COMBO_A}_core.kernel_log_1`);
    mkdirSync(klogDir, { recursive: true });
    writeFileSync(
      join(klogDir, 'case.log'),
      `${'noise\n'.repeat(2000)}$ dmesg --level=err\n[ 3.1] BUG: unable to handle page fault\npassword=${SECRET}\n`,
    );
    const file = join(runDir, 'report.html');
    const ends = events.map((e, i) => (e.type === 'case.end' ? i : -1)).filter((i) => i >= 0);
    await feed(notifier, events.slice(0, ends[0]! + 1));
    assert.ok(existsSync(file), 'the first finished case is written at once');
    const first = readFileSync(file, 'utf8');
    await feed(notifier, events.slice(ends[0]! + 1, ends[1]! + 1));
    assert.equal(readFileSync(file, 'utf8'), first, 'later rewrites wait for the throttle');

    await feed(notifier, events.slice(ends[1]! + 1));
    await notifier.finish();
    const html = readFileSync(file, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.doesNotMatch(html, /<link\b|<script[^>]+src=|<img\b|https?:\/\//, 'no external assets');
    assert.equal(html.match(/<script>/g)?.length, 1, 'only our own inline script');
    assert.ok(html.includes('BUG at &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;'));
    assert.ok(!html.includes(SECRET));
    for (const status of ['PASSED', 'FAILED', 'SKIPPED', 'ATTEMPTED']) {
      assert.ok(html.includes(`<input type="checkbox" value="${status}" checked>`), `filter for ${status}`);
    }
    assert.equal(html.match(/<tr data-status=/g)?.length, 9);
    assert.ok(html.includes(`href="cases/${encodeURIComponent(`${COMBO_A}_core.kernel_log_1`)}/case.log"`));
    assert.ok(!html.includes('core.boot_1/case.log'), 'no link to a log that does not exist');
    const failures = html.slice(html.indexOf('<h2 id="failures">'), html.indexOf('<h2>Cases</h2>'));
    assert.match(failures, /Failures \(1\)/);
    assert.match(failures, /BUG: unable to handle page fault/, 'the end of the case log');
    assert.ok(
      !failures.includes(
        'noise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise\nnoise',
      ),
      'only its last lines',
    );
    assert.match(html, /<h2>Environments<\/h2>/);
    assert.match(html, /Debian 12/);
    assert.ok(html.includes('no_call_trace: Call Trace at ext4_readdir'));
    assert.ok(html.includes('throughput = <b>812.4</b> MB/s'));
    assert.ok(html.includes('2 attempts'));
    assert.ok(html.includes('needs feature Sriov, which qemu does not offer'));
    assert.ok(html.includes('perf.iperf <small>#2</small>'));
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('esc neutralises markup, quotes and control characters', () => {
  assert.equal(esc(`<a href='x'>"&"</a>\u0007`), '&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;\\x07');
});
