/**
 * Bounds on what a runbook may make lisa do before a single node is touched. Real runbooks (LISA's
 * biggest included) stay far below each one; a file past them is a mistake or hostile, and is
 * refused with its location instead of exhausting memory or hanging `lisa check`.
 */
export const RUNBOOK_LIMITS = {
  /** Bytes of one runbook, include or variable file. */
  fileBytes: 1024 * 1024,
  /** Nodes of one file's tree after aliases are expanded (a "billion laughs" file grows past it). */
  treeNodes: 20_000,
  /** Nesting of mappings and lists. */
  depth: 64,
  /** Distinct files loaded through `include` and `variable: {file}`. */
  files: 256,
  /** Characters one `$(name)` expansion may produce. */
  expandedChars: 1024 * 1024,
  /** Combinations a combinator may produce, computed before expanding. */
  combinations: 10_000,
} as const;

/** The longest timer Node.js can hold (ms): longer ones fire at once with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
