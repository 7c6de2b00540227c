import { SecretMasker } from '../logging/secrets.js';

/** A user mistake in a runbook: printed as `file:line:column: key: message`, never with a stack. */
export class RunbookError extends Error {
  /** Further mistakes found in the same pass; format() lists them after this one. */
  readonly more: RunbookError[] = [];
  /** Secrets known where the error was found: the file name can hold one as well as the message. */
  private masker: SecretMasker | undefined;

  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'RunbookError';
  }

  /**
   * Masks these secrets (in every encoded form) wherever they appear in the formatted error: an
   * include or variable-file path made from a secret variable, a value quoted in the message.
   */
  maskSecrets(secrets: Iterable<string>): this {
    for (const s of secrets) {
      this.masker ??= new SecretMasker();
      this.masker.add(s);
    }
    if (this.masker) this.message = this.masker.mask(this.message);
    for (const e of this.more) e.maskSecrets(secrets);
    return this;
  }

  /** This error alone, one line. */
  formatOne(): string {
    const where = [this.file, this.line, this.column].filter((x) => x !== undefined).join(':');
    const text = `${where}: ${this.key ? `${this.key}: ` : ''}${this.message}`;
    return this.masker ? this.masker.mask(text) : text;
  }

  /** This error and the others found with it, one per line. */
  format(): string {
    return [this, ...this.more].map((e) => e.formatOne()).join('\n');
  }
}
