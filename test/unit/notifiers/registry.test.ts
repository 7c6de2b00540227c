import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import {
  checkNotifier,
  createNotifier,
  knownNotifierTypes,
  registerNotifier,
  resetNotifierRegistry,
} from '../../../src/notifiers/registry.js';
import { JUnitNotifier } from '../../../src/notifiers/junit.js';
import type { Notifier } from '../../../src/notifiers/types.js';
import type { RunEvent } from '../../../src/results/events.js';
import { makeContext } from '../../fixtures/notifiers/run-events.js';

const ctx = makeContext('/runs/r1');

test('built-in types are known and built from runbook entries', () => {
  assert.deepEqual(knownNotifierTypes(), ['console', 'html', 'json', 'junit']);
  const junit = createNotifier({ type: 'junit', options: {} }, ctx) as JUnitNotifier;
  assert.equal(junit.type, 'junit');
  assert.equal(junit.path, '/runs/r1/junit.xml');
  const custom = createNotifier({ type: 'junit', options: { path: 'out/j.xml' } }, ctx) as JUnitNotifier;
  assert.equal(custom.path, resolve('out/j.xml'), 'relative to where lisa was started');
});

test('an unknown type names the known ones', () => {
  assert.throws(() => createNotifier({ type: 'slack', options: {} }, ctx), {
    message: 'unknown notifier type "slack" (known types: console, html, json, junit)',
  });
});

test('options are checked: unknown keys, wrong types, bad values', () => {
  assert.throws(() => createNotifier({ type: 'junit', options: { paht: 'x.xml' } }, ctx), {
    message: 'notifier "junit": unknown option "paht" (known options: path)',
  });
  assert.throws(() => createNotifier({ type: 'json', options: { path: 3 } }, ctx), {
    message: 'notifier "json": option "path" must be a string, got number 3',
  });
  assert.throws(() => createNotifier({ type: 'console', options: { color: 'sometimes' } }, ctx), {
    message: 'notifier "console": option "color" must be one of auto, always, never, got "sometimes"',
  });
  assert.throws(() => createNotifier({ type: 'html', options: { throttle_ms: -1 } }, ctx), /non-negative/);
});

test('plugins register new types, but cannot replace existing ones', () => {
  try {
    const seen: string[] = [];
    registerNotifier('collect', (options) => {
      if (Object.keys(options).length) throw new Error('notifier "collect": takes no options');
      const n: Notifier = { type: 'collect', onEvent: (e: RunEvent) => void seen.push(e.type), finish: async () => {} };
      return n;
    });
    assert.ok(knownNotifierTypes().includes('collect'));
    const n = createNotifier({ type: 'collect', options: {} }, ctx);
    void n.onEvent({ type: 'combination.end', combination: 'default', time: new Date().toISOString() });
    assert.deepEqual(seen, ['combination.end']);
    assert.throws(() => registerNotifier('junit', () => n), /already registered/);
    assert.throws(() => registerNotifier('bad name', () => n), /cannot register notifier "bad name"/);
  } finally {
    resetNotifierRegistry();
  }
  assert.ok(!knownNotifierTypes().includes('collect'));
});

test('checkNotifier validates an entry without a run', () => {
  checkNotifier({ type: 'html', options: { throttle_ms: 500 } });
  assert.throws(
    () => checkNotifier({ type: 'html', options: { throttle: 500 } }),
    /unknown option "throttle" \(known options: path, throttle_ms\)/,
  );
  assert.throws(() => checkNotifier({ type: 'nope', options: {} }), /unknown notifier type "nope"/);
});
