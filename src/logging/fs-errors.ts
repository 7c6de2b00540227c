/**
 * File-system errors in words. Node's messages ("ENOSPC: no space left on device, write") name
 * neither the file (for a write to an open descriptor) nor anything a user can act on; callers put
 * the path and, where they know it, the runbook key in front of this text.
 */
const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** What went wrong, without the errno code or syscall: "no space left on the device". */
export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && WORDS[code]) return WORDS[code];
  const message = e instanceof Error ? e.message : String(e);
  // "EXDEV: cross-device link not permitted, rename 'a' -> 'b'": keep the words only.
  return message.replace(/^[A-Z][A-Z0-9_]+: /, '').replace(/, \w+(?: '[^']*'(?: -> '[^']*')?)?$/, '');
}

/** True when `e` is an error from a file-system call (it carries an errno code). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
}
