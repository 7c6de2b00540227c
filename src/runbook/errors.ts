/** A user mistake in a runbook: printed as `file:line:column: key: message`, never with a stack. */
export class RunbookError extends Error {
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

  format(): string {
    const where = [this.file, this.line, this.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.key ? `${this.key}: ` : ''}${this.message}`;
  }
}
