/**
 * Replaces every registered secret value with `******`. One masker belongs to one run and is
 * handed to every logger, notifier and error formatter of that run (no global state).
 */
export class SecretMasker {
  private secrets: string[] = [];
  private pattern: RegExp | undefined;

  /** An unset secret (`undefined`) is nothing to mask. */
  add(text: string | undefined): void {
    if (text === undefined) return;
    // Masking one- or two-character values would shred every log line.
    if (text.length < 3 || this.secrets.includes(text)) return;
    for (const form of encodedForms(text)) {
      if (form.length >= 3 && !this.secrets.includes(form)) this.secrets.push(form);
    }
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

/**
 * The ways a secret can be written into a sink: as is, escaped for JSON (events, results.json),
 * HTML (report.html), a single-quoted shell word (logged command lines), a URL (percent-encoded),
 * base64 (HTTP basic auth), and line by line, since a multi-line value's continuation lines are
 * indented in logs and would no longer match whole.
 */
function encodedForms(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const html = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  const shell = text.replace(/'/g, `'\\''`);
  const forms = [text, json, html, JSON.stringify(html).slice(1, -1), shell, JSON.stringify(shell).slice(1, -1)];
  forms.push(encodeURIComponent(text), Buffer.from(text).toString('base64'));
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.length > 1) forms.push(...lines.filter((l) => l.length >= 3));
  return forms;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
