/** ARM error codes and what to do about them: decided on the code, not the HTTP status. */

export interface ArmErrorInfo {
  code?: string;
  status?: number;
  message: string;
  retryAfterMs?: number;
}

/** Retried with bounded backoff: the SDK does not retry these (409s, and 429 without Retry-After). */
const TRANSIENT = new Set([
  'ConflictingConcurrentWriteNotAllowed',
  'RetryableError',
  'TooManyRequests',
  'OperationPreempted',
  'AnotherOperationInProgress',
  'InternalServerError',
  'ServerTimeout',
]);

/** Capacity problems: another size or location may work, or the same one later. */
export const CAPACITY = new Set([
  'SkuNotAvailable',
  'AllocationFailed',
  'ZonalAllocationFailed',
  'OverconstrainedAllocationRequest',
  'OperationNotAllowed',
  'QuotaExceeded',
  'ResourceGroupQuotaExceeded',
]);

export function armError(e: unknown): ArmErrorInfo {
  const err = e as {
    code?: string;
    statusCode?: number;
    message?: string;
    response?: { headers?: { get?(n: string): string | undefined } };
  };
  const header = err.response?.headers?.get?.('retry-after');
  const seconds = header !== undefined ? Number(header) : NaN;
  // A failed LRO is a plain Error whose message carries the code: "The long-running operation has failed. <code>. <msg>"
  const lro = /long-running operation has failed\.?\s*([A-Za-z]+)\.?\s*(.*)/s.exec(err.message ?? '');
  return {
    code: err.code ?? lro?.[1],
    status: err.statusCode,
    message: (lro?.[2] ?? err.message ?? String(e)).split('\n')[0]!.trim(),
    retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined,
  };
}

export function isTransient(info: ArmErrorInfo): boolean {
  return TRANSIENT.has(info.code ?? '') || info.status === 429 || (info.status ?? 0) >= 500;
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: ArmErrorInfo, attempt: number, waitMs: number) => void;
}

/** Runs an ARM call, retrying throttling and write conflicts with capped exponential backoff. */
export async function withArmRetry<T>(what: string, fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const attempts = o.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const info = armError(e);
      if (o.signal?.aborted || attempt >= attempts || !isTransient(info)) {
        throw new ArmCallError(what, info, attempt);
      }
      const wait = Math.min(o.maxMs ?? 10_000, info.retryAfterMs ?? (o.baseMs ?? 500) * 2 ** (attempt - 1));
      o.onRetry?.(info, attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** One line: what was being done, the ARM code and message, and how many attempts it took. */
export class ArmCallError extends Error {
  constructor(
    readonly what: string,
    readonly info: ArmErrorInfo,
    attempts: number,
  ) {
    super(
      `azure: ${what} failed${info.code ? ` (${info.code})` : info.status ? ` (HTTP ${info.status})` : ''}: ${info.message}` +
        (attempts > 1 ? ` [after ${attempts} attempts]` : ''),
    );
  }
  get code(): string | undefined {
    return this.info.code;
  }
}
