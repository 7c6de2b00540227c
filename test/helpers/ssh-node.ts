import { Logger, MemorySink } from '../../src/logging/logger.js';
import { SecretMasker } from '../../src/logging/secrets.js';
import { SshNode, type SshNodeOptions } from '../../src/node/ssh-node.js';
import type { Node, SshConnectionInfo } from '../../src/node/types.js';
import type { Sshd } from './sshd.js';

export interface TestNode {
  node: SshNode;
  /** Every node-log line, as `level [source] message`. */
  lines: string[];
  masker: SecretMasker;
}

/** An SshNode on the fixture with an in-memory log; reboot commands point at the fake boot id. */
export function sshNodeFor(
  sshd: Sshd,
  connection: Partial<SshConnectionInfo> = {},
  options: Partial<Omit<SshNodeOptions, 'connection' | 'log'>> = {},
): TestNode {
  const sink = new MemorySink();
  const masker = new SecretMasker();
  const node = new SshNode({
    name: 'testnode',
    connection: sshd.connection(connection),
    log: new Logger('testnode', [sink], masker),
    masker,
    bootIdCommand: sshd.bootIdCommand,
    rebootCommand: sshd.rebootCommand,
    connectTimeoutMs: 15_000,
    ...options,
  });
  return { node, lines: sink.lines, masker };
}

/** PIDs of processes whose command line contains `needle` (read from /proc: the node is this machine). */
export async function processesMatching(node: Node, needle: string): Promise<string[]> {
  // The [x] trick keeps grep from matching itself.
  const pattern = `[${needle[0]}]${needle.slice(1)}`;
  const r = await node.execute(`ps -eo pid=,args= | grep -e '${pattern}' || true`);
  return r.stdout.split('\n').filter(Boolean);
}
