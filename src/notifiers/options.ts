import { isAbsolute, resolve } from 'node:path';

/**
 * Report paths: absent means `<runDir>/<fallback>`; relative paths are taken from the directory
 * lisa was started in, which is where CI steps that publish the report look for it.
 */
export function reportPath(path: string | undefined, runDir: string, fallback: string): string {
  if (path === undefined) return resolve(runDir, fallback);
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
