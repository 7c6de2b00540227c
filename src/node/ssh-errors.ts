import { NodeUnreachableError } from './types.js';

/** The server rejected every credential offered: retrying would not help. */
export class SshAuthError extends NodeUnreachableError {
  constructor(nodeName: string, target: string, methods: string, detail: string) {
    super(
      nodeName,
      `authentication failed for ${target} (tried ${methods || 'no method: give a key, password or useAgent'}): ${detail}`,
    );
    this.name = 'SshAuthError';
  }
}

/** The host presented a key other than the known one (reinstalled host, or someone in between). */
export class HostKeyMismatchError extends NodeUnreachableError {
  constructor(nodeName: string, target: string, expected: string, actual: string) {
    super(
      nodeName,
      `host key mismatch at ${target}: expected ${abbreviate(expected)} but the server presented ${abbreviate(actual)}; ` +
        'if the host was reinstalled, drop the known hostKey from the connection info',
    );
    this.name = 'HostKeyMismatchError';
  }
}

function abbreviate(key: string): string {
  return key.length > 24 ? `${key.slice(0, 12)}...${key.slice(-12)}` : key;
}
