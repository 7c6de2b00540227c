/** A user mistake in a runbook: printed as `file:line:column: key: message`, never with a stack. */
export class RunbookError extends Error {
  /** Further mistakes found in the same pass; format() lists them after this one. */
  readonly more: RunbookError[] = [];

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

  /** This error alone, one line. */
  formatOne(): string {
    const where = [this.file, this.line, this.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.key ? `${this.key}: ` : ''}${this.message}`;
  }

  /** This error and the others found with it, one per line. */
  format(): string {
    return [this, ...this.more].map((e) => e.formatOne()).join('\n');
  }
}
