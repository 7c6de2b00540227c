import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CommandServiceManager,
  parseRcStatus,
  parseSystemdShow,
  SERVICE_COMMANDS,
  serviceManagerFor,
} from '../../../src/os/service-manager.js';
import { ScriptNode } from './script-node.js';

// `systemctl show -p LoadState,ActiveState,SubState,UnitFileState` as printed by systemd 252 (Debian 12).
const SSH_ACTIVE = 'LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n';
const MISSING = 'LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\n';
const FAILED = 'LoadState=loaded\nActiveState=failed\nSubState=failed\nUnitFileState=disabled\n';

test('parseSystemdShow', () => {
  assert.deepEqual(parseSystemdShow('ssh', SSH_ACTIVE), {
    name: 'ssh',
    active: true,
    enabled: true,
    state: 'active/running',
    exists: true,
  });
  assert.deepEqual(parseSystemdShow('nope', MISSING), {
    name: 'nope',
    active: false,
    enabled: undefined,
    state: 'inactive/dead',
    exists: false,
  });
  assert.deepEqual(parseSystemdShow('x', FAILED), {
    name: 'x',
    active: false,
    enabled: false,
    state: 'failed/failed',
    exists: true,
  });
});

test('parseRcStatus for OpenRC and BSD rc', () => {
  assert.deepEqual(parseRcStatus('sshd', ' * status: started\nexit=0\nenabled=yes\n'), {
    name: 'sshd',
    active: true,
    enabled: true,
    state: 'started',
    exists: true,
  });
  assert.deepEqual(parseRcStatus('crond', ' * status: stopped\nexit=3\nenabled=no\n'), {
    name: 'crond',
    active: false,
    enabled: false,
    state: 'stopped',
    exists: true,
  });
  assert.equal(
    parseRcStatus('nope', " * rc-service: service `nope' does not exist\nexit=1\nenabled=no\n").exists,
    false,
  );
  assert.deepEqual(parseRcStatus('sshd', 'sshd is running as pid 812.\nexit=0\nenabled=yes\n').state, 'running');
});

test('commands per init system', () => {
  assert.equal(SERVICE_COMMANDS.systemd.enable('chrony', true), 'systemctl enable --now chrony');
  assert.equal(SERVICE_COMMANDS.openrc.action('restart', 'sshd'), 'rc-service sshd restart');
  assert.equal(SERVICE_COMMANDS.openrc.enable('sshd', false), 'rc-update add sshd default');
  assert.equal(SERVICE_COMMANDS.bsdrc.enable('sshd', false), 'sysrc sshd_enable=YES');
  assert.equal(SERVICE_COMMANDS.bsdrc.action('stop', 'sshd'), 'service sshd onestop');
});

test('actions run with sudo and fail loudly', async () => {
  const node = new ScriptNode((c) =>
    c.includes('restart') ? { exitCode: 1, stderr: 'Job for x.service failed' } : {},
  );
  const sm = new CommandServiceManager(node, 'systemd');
  await sm.start('x');
  await assert.rejects(sm.restart('x'), /exited with 1.*systemctl restart x[\s\S]*Job for x.service failed/);
  assert.deepEqual(node.commands, ['sudo systemctl start x', 'sudo systemctl restart x']);
});

test('serviceManagerFor detects the init system once', async () => {
  const node = new ScriptNode(() => ({ stdout: 'openrc\n' }));
  const a = await serviceManagerFor(node);
  const b = await serviceManagerFor(node);
  assert.equal(a, b);
  assert.equal(a.name, 'openrc');
  const none = new ScriptNode(() => ({ stdout: 'unknown\n' }));
  await assert.rejects(serviceManagerFor(none), /no supported service manager/);
});
