import type { Logger } from '../../logging/logger.js';
import type { SecretMasker } from '../../logging/secrets.js';
import { LocalNode } from '../../node/local-node.js';
import { SshNode } from '../../node/ssh-node.js';
import type { JumpHost } from '../../node/ssh-jump.js';
import type { Node } from '../../node/types.js';
import type { NodeConfig } from '../../runbook/types.js';

/** Turns a runbook node entry into a live Node (not yet connected: connections open on first use). */
export function createConfiguredNode(
  config: NodeConfig,
  name: string,
  log: Logger,
  masker: SecretMasker,
  jumpHosts: readonly JumpHost[] = [],
): Node {
  if (config.type === 'local') return new LocalNode({ name, log });
  return new SshNode({
    name,
    log,
    masker,
    connection: {
      address: config.address,
      port: config.port,
      username: config.username,
      password: config.password,
      privateKeyFile: config.privateKeyFile,
      sudoPassword: config.sudoPassword,
      useAgent: config.useAgent,
      ...(jumpHosts.length ? { jumpHosts } : {}),
    },
  });
}
