/**
 * An extension module is someone else's code running inside lisa while it loads. Whatever it does
 * at import time (throw a string, await forever, call process.exit) must end as a clear load error,
 * so that `lisa check` and `lisa run` can name the runbook key and exit 2.
 */

/** Default time an extension module may take to import; LISA_IMPORT_TIMEOUT (seconds) overrides. */
export const DEFAULT_IMPORT_TIMEOUT_S = 8;

/** Why an extension module did not load; the message says what the module did. */
export class ExtensionImportError extends Error {
  override name = 'ExtensionImportError';
}

/** The import time limit in milliseconds, from LISA_IMPORT_TIMEOUT (seconds) or the default. */
export function importTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LISA_IMPORT_TIMEOUT;
  const seconds = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) return DEFAULT_IMPORT_TIMEOUT_S * 1000;
  // setTimeout cannot hold more than 2^31-1 ms; beyond that it fires at once.
  return Math.min(seconds * 1000, 2 ** 31 - 1);
}

/** A thrown value of any type as text: an Error's message, a string, or a short rendering. */
export function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) return String(e.message) || e.name || 'Error';
    if (typeof e === 'string') return e;
    if (e === null || e === undefined || typeof e !== 'object') return `threw ${String(e)}`;
    const json = JSON.stringify(e);
    return `threw ${json === undefined ? Object.prototype.toString.call(e) : json.slice(0, 200)}`;
  } catch {
    try {
      return `threw ${Object.prototype.toString.call(e)}`;
    } catch {
      return 'threw a value that cannot be printed';
    }
  }
}

function describeCode(code: unknown): string {
  return typeof code === 'number' || typeof code === 'string'
    ? String(code)
    : describeThrown(code).replace(/^threw /, '');
}

/** Thrown inside the module in place of exiting: its top-level code stops there. */
class ExitAttempt extends Error {
  constructor(readonly code: unknown) {
    super(`called process.exit(${code === undefined ? '' : describeCode(code)}) while being imported`);
  }
}

/** The imports in progress; a process.exit call during any of them fails them all. */
const watching = new Set<(e: ExtensionImportError) => void>();
let realExit: typeof process.exit | undefined;

function guardedExit(code?: unknown): never {
  const attempt = new ExitAttempt(code);
  for (const fail of watching) fail(new ExtensionImportError(attempt.message));
  throw attempt;
}

/**
 * Runs `load` (an import) with process.exit replaced and a time limit. A call to process.exit,
 * an exception thrown from the module's timers while it is still importing, and a module that
 * never finishes importing all reject with an ExtensionImportError.
 */
export async function guardedImport<T>(load: () => Promise<T>, timeoutMs = importTimeoutMs()): Promise<T> {
  let failure: ExtensionImportError | undefined;
  let reject: (e: ExtensionImportError) => void = () => undefined;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  const fail = (e: ExtensionImportError) => {
    failure ??= e;
    reject(e);
  };
  // The module's own timers and promises run while it imports; what escapes them is its failure.
  const escaped = (e: unknown) =>
    fail(
      new ExtensionImportError(e instanceof ExitAttempt ? e.message : `failed while importing: ${describeThrown(e)}`),
    );
  if (watching.size === 0) {
    // Kept to put back as it was; the real exit is only ever called through `process`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    realExit = process.exit;
    process.exit = guardedExit;
  }
  watching.add(fail);
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  const timer = setTimeout(
    () => fail(new ExtensionImportError(`did not finish importing within ${timeoutMs / 1000} s (LISA_IMPORT_TIMEOUT)`)),
    timeoutMs,
  );
  try {
    const value = await Promise.race([load(), failed]);
    // The module may have caught the exit attempt and gone on: it still asked to exit.
    if (failure) throw failure;
    return value;
  } catch (e) {
    throw failure ?? (e instanceof ExitAttempt ? new ExtensionImportError(e.message) : e);
  } finally {
    clearTimeout(timer);
    process.off('uncaughtException', escaped);
    process.off('unhandledRejection', escaped);
    watching.delete(fail);
    if (watching.size === 0 && realExit) process.exit = realExit;
  }
}
