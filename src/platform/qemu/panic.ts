/** Lines that mean the guest kernel hit a defect; one finding per trigger line, with context. */
const TRIGGERS: RegExp[] = [
  /Kernel panic - not syncing/,
  /\bBUG: /,
  /\bOops(?::| -)/,
  /general protection fault/,
  /\bCall Trace:/,
  /WARNING: CPU: \d+ PID: \d+/,
  /Unable to handle kernel/,
  /\bsoft lockup\b|\bhard LOCKUP\b/,
  /INFO: task .* blocked for more than/,
];

export interface PanicFinding {
  /** The trigger line, trimmed. */
  line: string;
  /** A few lines around it, enough to name the defect in a case failure. */
  excerpt: string;
}

/** Kernel log lines carry a `[ 12.345678]` stamp; strip console escape codes and CRs. */
function clean(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * Finds panics, oopses and call traces in serial console text. Consecutive triggers (an Oops
 * followed by its Call Trace) fold into one finding, so one crash reports one excerpt.
 */
export function detectPanics(text: string, contextAfter = 12): PanicFinding[] {
  const lines = text.split('\n').map(clean);
  const found: PanicFinding[] = [];
  let coveredUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    if (i <= coveredUntil) continue;
    const line = lines[i]!;
    if (!TRIGGERS.some((re) => re.test(line))) continue;
    const end = Math.min(lines.length, i + contextAfter + 1);
    const start = Math.max(0, i - 2);
    found.push({ line: line.trim(), excerpt: lines.slice(start, end).join('\n').trim() });
    coveredUntil = end - 1;
  }
  return found;
}
