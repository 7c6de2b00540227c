/** POSIX shell single-quoting: safe for any byte string. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_\-./=:,@%+]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(args: string[]): string {
  return args.map(shellQuote).join(' ');
}
