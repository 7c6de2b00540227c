/**
 * `lisa reap` on a runbook whose environments list machines (platform ready): on each remote node,
 * kills the processes that lisa runs killed with SIGKILL left running (their case's commands and
 * everything those started). A normal run does the same when it first connects to a node.
 */
import type { Logger } from '../../logging/logger.js';
import type { SecretMasker } from '../../logging/secrets.js';
import { SshNode } from '../../node/ssh-node.js';
import { createConfiguredNode } from '../../platform/ready/node-factory.js';
import type { ResolvedRunbook } from '../../runbook/types.js';

export interface RemoteReapResult {
  /** Per node: the pids killed. */
  killed: { node: string; pids: number[] }[];
  /** Nodes that could not be reached, with the reason. */
  unreachable: { node: string; why: string }[];
}

export async function reapRemoteNodes(
  rb: ResolvedRunbook,
  log: Logger,
  masker: SecretMasker,
): Promise<RemoteReapResult> {
  const result: RemoteReapResult = { killed: [], unreachable: [] };
  for (const [e, env] of rb.environments.entries()) {
    for (const config of env.nodes) {
      if (config.type !== 'remote') continue;
      const name = config.name ?? `${config.address}:${config.port}`;
      const node = createConfiguredNode(config, name, log.child(name), masker);
      if (!(node instanceof SshNode)) continue;
      try {
        result.killed.push({ node: `${env.name ?? `env${e + 1}`}/${name}`, pids: await node.reapOrphans() });
      } catch (err) {
        result.unreachable.push({ node: `${env.name ?? `env${e + 1}`}/${name}`, why: (err as Error).message });
      } finally {
        await node.close().catch(() => undefined);
      }
    }
  }
  return result;
}
