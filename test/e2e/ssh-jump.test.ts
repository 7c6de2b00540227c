import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Logger, MemorySink } from '../../src/logging/logger.js';
import { SecretMasker } from '../../src/logging/secrets.js';
import { SshAuthError } from '../../src/node/ssh-errors.js';
import type { RunEventOf } from '../../src/results/events.js';
import type { JumpHost } from '../../src/node/ssh-jump.js';
import { SshNode } from '../../src/node/ssh-node.js';
import { NodeUnreachableError } from '../../src/node/types.js';
import {
  allFiles,
  cliPath,
  onlyRunDir,
  readEvents,
  readyPlatformYaml,
  repoRoot,
  tempDir,
  writeRunbook,
} from '../helpers/cli.js';
import { descendants, freePort, killTree } from '../helpers/ssh-proc.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { NOPASSWD_USER } from '../helpers/ssh-users.js';
import { ed25519KeyPair } from '../helpers/ssh-keys.js';

/**
 * A private network namespace that only a jump host can reach. `target` is an OpenSSH sshd on the
 * namespace's own loopback, so nothing on this machine's network can connect to it. `jump` is an
 * OpenSSH sshd started per connection (inetd mode, `sshd -i`) inside the namespace on a socket
 * accepted here: it is reachable from this machine and forwards within the namespace, like a
 * bastion with one foot in each network. Each accepted connection's peer port is recorded.
 */
interface IsolatedLab {
  dir: string;
  /** `net:[inode]` of the namespace, as `readlink /proc/self/ns/net` prints it inside. */
  netns: string;
  targetPort: number;
  jumpPort: number;
  /** Remote ports of the connections the jump host accepted, in order. */
  jumpPeers: number[];
  key: string;
  /** Kills the target's session processes: every SSH connection to the node drops. */
  dropTargetSessions(): number;
  jumpLog(): string;
  stop(): void;
}

function sshdConfig(dir: string, extra: string): string {
  return `HostKey ${dir}/host_key
PidFile none
AuthorizedKeysFile ${dir}/authorized_keys
AllowUsers ${NOPASSWD_USER}
StrictModes no
PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
LogLevel VERBOSE
${extra}`;
}

async function startIsolatedLab(): Promise<IsolatedLab> {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-jumplab-'));
  chmodSync(dir, 0o755);
  const host = ed25519KeyPair();
  const user = ed25519KeyPair();
  writeFileSync(join(dir, 'host_key'), host.private, { mode: 0o600 });
  writeFileSync(join(dir, 'id_ed25519'), user.private, { mode: 0o600 });
  writeFileSync(join(dir, 'authorized_keys'), `${user.public}\n`, { mode: 0o644 });
  const procs: ChildProcess[] = [];
  const holder = spawn('unshare', ['-n', 'sleep', 'infinity'], { stdio: 'ignore', detached: true });
  procs.push(holder);
  const ns = `/proc/${holder.pid}/ns/net`;
  let netns = '';
  for (let i = 0; i < 100 && !netns.startsWith('net:'); i++) {
    await sleep(20);
    const own = execFileSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }).trim();
    const theirs = spawnSync('readlink', [ns], { encoding: 'utf8' }).stdout.trim();
    if (theirs && theirs !== own) netns = theirs;
  }
  if (!netns) throw new Error('unshare -n did not make a network namespace');
  execFileSync('nsenter', [`--net=${ns}`, 'ip', 'link', 'set', 'lo', 'up']);
  // A port free here is also unused inside: a direct connect to it here must be refused.
  const targetPort = await freePort();
  writeFileSync(join(dir, 'target_config'), sshdConfig(dir, `Port ${targetPort}\nListenAddress 127.0.0.1\n`));
  const targetLog = openSync(join(dir, 'target.log'), 'a');
  const target = spawn('nsenter', [`--net=${ns}`, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'target_config')], {
    stdio: ['ignore', 'ignore', targetLog],
    detached: true,
  });
  closeSync(targetLog);
  procs.push(target);
  for (let i = 0; !readFileSync(join(dir, 'target.log'), 'utf8').includes('Server listening'); i++) {
    if (i > 250) throw new Error(`target sshd did not start: ${readFileSync(join(dir, 'target.log'), 'utf8')}`);
    await sleep(20);
  }

  writeFileSync(join(dir, 'jump_config'), sshdConfig(dir, 'AllowTcpForwarding yes\n'));
  const jumpPeers: number[] = [];
  const server: Server = createServer({ pauseOnConnect: true }, (sock: Socket) => {
    jumpPeers.push(sock.remotePort ?? 0);
    const log = openSync(join(dir, 'jump.log'), 'a');
    const child = spawn('nsenter', [`--net=${ns}`, '/usr/sbin/sshd', '-i', '-e', '-f', join(dir, 'jump_config')], {
      stdio: [sock, sock, log],
    });
    closeSync(log);
    procs.push(child);
    // The child has its own copy of the socket.
    sock.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jumpPort = (server.address() as { port: number }).port;
  return {
    dir,
    netns,
    targetPort,
    jumpPort,
    jumpPeers,
    key: join(dir, 'id_ed25519'),
    dropTargetSessions: () => {
      const sessions = descendants(target.pid!);
      for (const pid of sessions) process.kill(pid, 'SIGKILL');
      return sessions.length;
    },
    jumpLog: () => readFileSync(join(dir, 'jump.log'), 'utf8'),
    stop: () => {
      server.close();
      for (const p of procs.reverse()) if (p.pid && p.exitCode === null) killTree(p.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function nodeThrough(
  lab: IsolatedLab,
  jumpHosts: JumpHost[],
  connectTimeoutMs = 15_000,
  port = lab.targetPort,
): { node: SshNode; lines: string[] } {
  const sink = new MemorySink();
  const masker = new SecretMasker();
  const node = new SshNode({
    name: 'behind-jump',
    connection: {
      address: '127.0.0.1',
      port,
      username: NOPASSWD_USER,
      privateKeyFile: lab.key,
      jumpHosts,
    },
    log: new Logger('behind-jump', [sink], masker),
    masker,
    connectTimeoutMs,
  });
  return { node, lines: sink.lines };
}

/** How many established TCP connections this process holds to loopback `port`. */
function ownConnectionsTo(port: number): number {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(`pid=${process.pid},`)).length;
}

/** The process that owns the local end of the TCP connection from `port` on loopback. */
function ownerOfLocalPort(port: number): string {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  return /users:\(\("([^"]+)"/.exec(out)?.[1] ?? `nobody (${out.trim()})`;
}

describe('SSH through jump hosts (dev.jump_boxes), to a node only the jump host can reach', () => {
  let lab: IsolatedLab;
  let bastion: Sshd;
  before(async () => {
    bastion = await startSshd();
    lab = await startIsolatedLab();
  });
  after(async () => {
    lab?.stop();
    await bastion?.stop();
  });
  const jump = (over: Partial<JumpHost> = {}): JumpHost => ({
    address: '127.0.0.1',
    port: lab.jumpPort,
    username: NOPASSWD_USER,
    privateKeyFile: lab.key,
    ...over,
  });
  const first = (over: Partial<JumpHost> = {}): JumpHost => ({
    address: '127.0.0.1',
    port: bastion.port,
    username: bastion.username,
    privateKeyFile: bastion.privateKeyFile,
    ...over,
  });

  it('the node is unreachable without a jump host', async () => {
    const { node } = nodeThrough(lab, [], 2000);
    await assert.rejects(node.execute('true'), (e: Error) => {
      assert.ok(e instanceof NodeUnreachableError, e.message);
      assert.match(e.message, /ECONNREFUSED/);
      return true;
    });
    await node.close();
  });

  it('one jump host: commands and files reach the node inside the private network', async () => {
    const { node } = nodeThrough(lab, [jump()]);
    const r = await node.execute('readlink /proc/self/ns/net; id -un', { expectedExitCode: 0 });
    assert.equal(r.stdout, `${lab.netns}\n${NOPASSWD_USER}\n`);
    await node.writeFile('/tmp/lisa-jump-probe', 'through the jump\n');
    assert.equal(await node.readFile('/tmp/lisa-jump-probe'), 'through the jump\n');
    // This process opened the jump host's connection itself.
    assert.equal(ownerOfLocalPort(lab.jumpPeers.at(-1)!), 'node');
    await node.close();
  });

  it('two jump hosts, each with its own credentials: the second is reached through the first', async () => {
    const peersBefore = lab.jumpPeers.length;
    const { node } = nodeThrough(lab, [
      first({ privateKeyFile: undefined, password: bastion.password }),
      jump({ privateKeyFile: lab.key }),
    ]);
    const r = await node.execute('readlink /proc/self/ns/net', { expectedExitCode: 0 });
    assert.equal(r.stdout.trim(), lab.netns);
    assert.equal(lab.jumpPeers.length, peersBefore + 1);
    // The connection into the second hop comes from the first hop's sshd, not from this process.
    assert.equal(ownerOfLocalPort(lab.jumpPeers.at(-1)!), 'sshd');
    assert.match(readFileSync(join(bastion.dir, 'sshd.log'), 'utf8'), /Accepted password for lisatest/);
    await node.close();
  });

  it('reconnects through both hops after the connection drops, leaving no hop connection behind', async () => {
    const { node } = nodeThrough(lab, [first(), jump()]);
    await node.execute('true', { expectedExitCode: 0 });
    assert.equal(ownConnectionsTo(bastion.port), 1);
    assert.ok(lab.dropTargetSessions() > 0);
    // The hops see the node's TCP connection close and close their channels: the whole chain goes
    // at once, not after keepalives time out (15 s).
    for (let i = 0; i < 30 && ownConnectionsTo(bastion.port) !== 0; i++) await sleep(100);
    assert.equal(ownConnectionsTo(bastion.port), 0, 'the dropped chain was closed within 3 s');
    // The next command opens the whole chain again.
    const again = await node.execute('readlink /proc/self/ns/net', { expectedExitCode: 0 });
    assert.equal(again.stdout.trim(), lab.netns);
    assert.equal(ownConnectionsTo(bastion.port), 1);
    await node.close();
    for (let i = 0; i < 50 && ownConnectionsTo(bastion.port) !== 0; i++) await sleep(100);
    assert.equal(ownConnectionsTo(bastion.port), 0, 'close() closes every hop');
  });

  it('a rejected credential names the hop and fails at once', async () => {
    const started = Date.now();
    const { node } = nodeThrough(lab, [first(), jump({ privateKeyFile: undefined, password: 'wrong-secret' })]);
    await assert.rejects(node.execute('true'), (e: Error) => {
      assert.ok(e instanceof SshAuthError, e.message);
      assert.match(e.message, new RegExp(`jump host 2 of 2 \\(lisatest@127\\.0\\.0\\.1:${lab.jumpPort}\\)`));
      assert.doesNotMatch(e.message, /wrong-secret/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'an auth failure is not retried until the deadline');
    await node.close();
  });

  it('an unreachable first hop and an unreachable node behind a hop name where it broke', async () => {
    const closed = await freePort();
    const a = nodeThrough(lab, [first({ port: closed }), jump()], 1500);
    await assert.rejects(a.node.execute('true'), (e: Error) => {
      assert.ok(e instanceof NodeUnreachableError);
      assert.match(e.message, new RegExp(`jump host 1 of 2 \\(lisatest@127\\.0\\.0\\.1:${closed}\\): .*ECONNREFUSED`));
      return true;
    });
    const b = nodeThrough(lab, [jump()], 1500, closed);
    await assert.rejects(b.node.execute('true'), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`jump host 1 of 1 \\(.*\\) cannot open a connection to 127\\.0\\.0\\.1:${closed}`),
      );
      return true;
    });
    await a.node.close();
    await b.node.close();
  });
});

describe('lisa run with dev.jump_boxes reaches a ready node through two jump hosts', () => {
  let lab: IsolatedLab;
  let bastion: Sshd;
  before(async () => {
    bastion = await startSshd();
    lab = await startIsolatedLab();
  });
  after(async () => {
    lab?.stop();
    await bastion?.stop();
  });

  it('runs the case on the node, and the first hop password (a secret variable) is never written', async () => {
    const dir = tempDir('lisa-jump-cli-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: jump
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
variable:
  - name: bastion_password
    value: ${bastion.password}
    is_secret: true
dev:
  jump_boxes:
    - address: 127.0.0.1
      port: ${bastion.port}
      username: ${bastion.username}
      password: $(bastion_password)
    - address: 127.0.0.1
      port: ${lab.jumpPort}
      username: ${NOPASSWD_USER}
      private_key_file: ${lab.key}
${readyPlatformYaml([{ host: '127.0.0.1', port: lab.targetPort, username: NOPASSWD_USER, privateKeyFile: lab.key }])}testcase:
  - criteria:
      name: ^e2e\\.pass_echo$
`,
    );
    // Not spawnSync: the second jump host is served by this process's event loop.
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cliPath, 'run', file],
        { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const runDir = onlyRunDir(join(dir, 'runs'));
    const end = readEvents(runDir).find((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.equal(end?.status, 'PASSED', end?.message);
    assert.ok(lab.jumpPeers.length >= 1, 'the second jump host was used');
    for (const f of allFiles(runDir)) assert.ok(!readFileSync(f, 'utf8').includes(bastion.password), f);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(bastion.password));
  });
});
