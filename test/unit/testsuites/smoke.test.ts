import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { osInfoFromFields } from '../../../src/os/detect.js';
import { AssertionFailure } from '../../../src/testing/errors.js';
import type { CaseContext } from '../../../src/testing/types.js';
import smoke from '../../../testsuites/smoke/index.js';
import { runLocally, ScriptNode, table, type Handler } from '../os/script-node.js';

function ctxFor(node: ScriptNode): CaseContext {
  return {
    node,
    nodes: [node],
    environment: { id: 'e', platform: 'test', nodes: [node], capabilities: [], features: [], feature: () => undefined },
    log: new Logger('smoke', [], new SecretMasker()),
    logDir: '/tmp',
    variables: {},
    signal: new AbortController().signal,
    attempt: 1,
    iteration: 1,
    skip(reason: string): never {
      throw new Error(`skipped: ${reason}`);
    },
    tool: (cls, on = node) => new cls(on),
    subResult() {},
    metric() {},
  };
}

const debian = {
  ...osInfoFromFields({ ID: 'debian', VERSION_ID: '12', PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)' }),
  kernel: { name: 'Linux', release: '6.1.0-50-cloud-amd64', version: '#1 SMP' },
  arch: 'x86_64',
};

/** A scripted node that says it is remote, so that smoke.reboot does not skip it. */
function remote(handler: Handler): ScriptNode {
  const node = new ScriptNode(handler, debian);
  Object.defineProperty(node, 'kind', { value: 'ssh' });
  return node;
}

const run = (name: string, node: ScriptNode) => smoke.cases.find((c) => c.name === name)!.run(ctxFor(node));

async function failsWith(p: unknown, message: string): Promise<void> {
  await assert.rejects(Promise.resolve(p), (e: unknown) => {
    assert.ok(e instanceof AssertionFailure, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

test('every smoke case passes on this machine', async () => {
  for (const c of ['reachable', 'os_facts', 'command_round_trip']) await run(c, new ScriptNode(runLocally, debian));
  let boots = 0;
  const rebooting: Handler = (command) =>
    /boot_id/.test(command) ? { stdout: `boot-${++boots}\n` } : { stdout: 'alive\n' };
  await run('reboot', remote(rebooting));
});

test('a node that answers garbage fails reachable', async () => {
  await failsWith(
    run('reachable', new ScriptNode(table([['echo alive', { stdout: 'alve\n' }]]))),
    'reply of script-node: expected "alive", found "alve"',
  );
});

test('an unidentifiable OS fails os_facts', async () => {
  const node = new ScriptNode(runLocally, { ...osInfoFromFields({ ID: 'weird' }), families: ['unknown'] });
  await failsWith(
    run('os_facts', node),
    'OS family of script-node: expected a known OS family, found unknown (id "weird")',
  );
});

test('output mangled on the way back fails command_round_trip', async () => {
  const lossy: Handler = async (command, options) => {
    const r = await runLocally(command, options);
    return { ...r, stderr: '' };
  };
  await failsWith(run('command_round_trip', new ScriptNode(lossy)), 'stderr: expected "err", found ""');
});

test('a reboot that did not happen (same boot id) fails reboot', async () => {
  const node = remote(
    table([
      ['boot_id', { stdout: 'same-id\n' }],
      ['echo alive', { stdout: 'alive\n' }],
    ]),
  );
  await failsWith(run('reboot', node), 'boot id after reboot: expected a new boot id (was same-id), found same-id');
});
