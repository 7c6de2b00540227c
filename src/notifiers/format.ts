import { dirname, relative, resolve, sep } from 'node:path';

// Colour and cursor sequences from tool output end up in failure messages; they are noise in reports.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// Characters XML 1.0 cannot carry at all (everything below 0x20 except tab, LF, CR; lone surrogates; FFFE/FFFF).
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Text that is safe in XML and HTML: ANSI removed, other control characters shown as `\xNN`. */
export function cleanText(text: string): string {
  return stripAnsi(text).replace(NOT_XML, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `850ms`, `12.3s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0ms';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m}m${String(totalS % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The first non-empty line, cut to `max` characters: enough to recognise a failure in a list.
 * Control characters are neutralised because messages carry guest output, which must not drive the terminal.
 */
export function shortMessage(message: string, max = 160): string {
  const line = cleanText(message)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A log path as a link from a report file: relative to the report, so the run directory can be
 * copied or published as a CI artifact without breaking links. Log paths are absolute or relative
 * to the run directory.
 */
export function linkFrom(reportFile: string, runDir: string, logPath: string): string {
  const target = resolve(runDir, logPath);
  return relative(dirname(reportFile), target).split(sep).join('/');
}

/** `suite.case` plus the combination and iteration when they tell cases apart. */
export function caseLabel(c: { caseId: string; combination: string; iteration: number }, repeated: boolean): string {
  let label = c.caseId;
  if (repeated) label += ` [iteration ${c.iteration}]`;
  if (c.combination !== 'default') label += ` (${c.combination})`;
  return label;
}
