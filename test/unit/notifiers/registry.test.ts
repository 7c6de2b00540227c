import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  checkNotifier,
  createNotifier,
  knownNotifierTypes,
  notifierRegistrationProblem,
  registerNotifier,
} from '../../../src/notifiers/registry.js';
import { JUnitNotifier } from '../../../src/notifiers/junit.js';
import { defineNotifier, type Notifier } from '../../../src/notifiers/types.js';
import type { RunEvent } from '../../../src/results/events.js';
import { makeContext } from '../../fixtures/notifiers/run-events.js';

const ctx = makeContext('/runs/r1');

test('built-in types are known and built from runbook entries', async () => {
  assert.deepEqual(knownNotifierTypes(), [
    'console',
    'database',
    'env_stats',
    'file',
    'html',
    'json',
    'junit',
    'text_result',
  ]);
  const junit = (await createNotifier({ type: 'junit', options: {} }, ctx)) as JUnitNotifier;
  assert.equal(junit.type, 'junit');
  assert.equal(junit.path, '/runs/r1/junit.xml');
  const custom = (await createNotifier({ type: 'junit', options: { path: 'out/j.xml' } }, ctx)) as JUnitNotifier;
  assert.equal(custom.path, resolve('out/j.xml'), 'relative to where lisa was started');
});

test('an unknown type names the known ones', async () => {
  await assert.rejects(createNotifier({ type: 'slack', options: {} }, ctx), {
    message:
      'unknown notifier type "slack"; known types: console, database, env_stats, file, html, json, junit, text_result',
  });
});

test('options of a hand-built config are checked with the type schema', async () => {
  await assert.rejects(createNotifier({ type: 'junit', options: { paht: 'x.xml' } }, ctx), /notifier "junit": .*paht/);
  await assert.rejects(createNotifier({ type: 'json', options: { path: 3 } }, ctx), /notifier "json": option "path"/);
  await assert.rejects(
    createNotifier({ type: 'console', options: { color: 'sometimes' } }, ctx),
    /notifier "console": option "color"/,
  );
  await assert.rejects(createNotifier({ type: 'html', options: { throttle_ms: -1 } }, ctx), /option "throttle_ms"/);
});

test('a registration is type, schema and create in one object; a type cannot be taken twice', async () => {
  const seen: string[] = [];
  const collect = defineNotifier({
    type: 'collect',
    schema: z.strictObject({}),
    create: (): Notifier => ({
      type: 'collect',
      onEvent: (e: RunEvent) => void seen.push(e.type),
      finish: async () => {},
    }),
  });
  registerNotifier(collect);
  assert.ok(knownNotifierTypes().includes('collect'));
  const n = await createNotifier({ type: 'collect', options: {} }, ctx);
  void n.onEvent({ type: 'combination.end', combination: 'default', time: new Date().toISOString() });
  assert.deepEqual(seen, ['combination.end']);
  assert.throws(() => registerNotifier({ ...collect, type: 'junit' }), /"junit" is already registered/);
  assert.throws(() => registerNotifier({ ...collect, type: 'bad name' }), /a type is a letter followed by/);
  // Without a schema (or without a factory) there is no registration.
  assert.throws(
    () => registerNotifier({ type: 'noschema', create: (o: never, c: never) => collect.create(o, c) } as never),
    /no zod object schema/,
  );
  assert.throws(() => registerNotifier({ type: 'nofactory', schema: z.strictObject({}) } as never), /no create\(\)/);
  assert.match(notifierRegistrationProblem(42) ?? '', /is not an object/);
  assert.ok(!knownNotifierTypes().includes('noschema'));
});

test('checkNotifier validates an entry without a run', async () => {
  await checkNotifier({ type: 'html', options: { throttle_ms: 500 } });
  await assert.rejects(checkNotifier({ type: 'html', options: { throttle: 500 } }), /throttle/);
  await assert.rejects(checkNotifier({ type: 'nope', options: {} }), /unknown notifier type "nope"/);
});
