/**
 * Replaces every registered secret value with `******`. One masker belongs to one run and is
 * handed to every logger, notifier and error formatter of that run (no global state).
 */
export class SecretMasker {
  private secrets: string[] = [];
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    if (value === undefined || value === null) return;
    const text = String(value);
    // Masking one- or two-character values would shred every log line.
    if (text.length < 3 || this.secrets.includes(text)) return;
    this.secrets.push(text);
    // Events and reports are masked as JSON text, where `"` and `\` in a secret appear escaped.
    const escaped = JSON.stringify(text).slice(1, -1);
    if (escaped !== text && !this.secrets.includes(escaped)) this.secrets.push(escaped);
    this.secrets.sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g');
  }

  mask(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, '******');
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (!this.pattern) return value;
    return JSON.parse(this.mask(JSON.stringify(value))) as T;
  }

  get size(): number {
    return this.secrets.length;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
