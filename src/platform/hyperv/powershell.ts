/**
 * The one way a value enters a PowerShell command line: a single-quoted string literal, in which
 * PowerShell expands nothing ($, backticks, semicolons are literal). The only special character
 * is the single quote, doubled to escape it - and PowerShell also takes the typographic quotes
 * U+2018..U+201B as single quotes, so those are doubled too. NUL cannot be passed at all.
 */
export function psQuote(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) throw new Error('a PowerShell argument cannot contain NUL');
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Runs `script` through powershell.exe without any shell quoting: -EncodedCommand takes UTF-16LE base64. */
export function encodedCommand(script: string): string {
  return `powershell -NoLogo -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`;
}

/** Every script stops at the first error, and progress bars (which corrupt stdout over SSH) are off. */
export const PREAMBLE = "$ErrorActionPreference = 'Stop'\n$ProgressPreference = 'SilentlyContinue'\n";

/** Bytes as a PowerShell numeric literal with a unit suffix, e.g. 2048MB, 4GB. */
export function psSize(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}GB` : `${mib}MB`;
}
