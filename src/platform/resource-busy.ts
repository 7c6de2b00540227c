/**
 * A deploy failed because resources are busy for now (quota in use by other VMs, no capacity for a
 * size): the same deploy may succeed later. Platforms throw it; the orchestrator decides how long
 * to keep trying (LISA's `wait_resource_timeout`), so the decision has one owner.
 */
export class ResourceBusyError extends Error {
  readonly retryable = 'resource' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ResourceBusyError';
  }
}

/** Also true for errors of plugin platforms that mark themselves `retryable: 'resource'`. */
export function isResourceBusy(e: unknown): boolean {
  return e instanceof ResourceBusyError || (e as { retryable?: unknown } | null)?.retryable === 'resource';
}
