import { cleanText, formatDuration } from './format.js';
import type { CaseResult, EnvironmentRecord, RunResults } from '../results/results-model.js';
import { renderTransformersHtml } from './transformer-report.js';
import { reportStatus } from '../results/report-status.js';
import { CSS, SCRIPT } from './html-assets.js';

/** Everything the page shows passes through here: masked upstream, then made inert as HTML text. */
export function esc(value: string | number | undefined): string {
  return cleanText(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUSES = ['FAILED', 'ATTEMPTED', 'SKIPPED', 'PASSED', 'UNFINISHED', 'RUNNING', 'QUEUED'] as const;

/** What the page needs from the run directory: links to files that exist, and the tail of a failed case's log. */
export interface ReportFiles {
  /** A link from the report to a file, or undefined when the file does not exist. */
  link(path: string | undefined): string | undefined;
  /** The last lines of a log, masked; undefined when it cannot be read. */
  excerpt(path: string): string | undefined;
  /** Log files of one environment (node logs, serial consoles) that exist, as [label, path]. */
  environmentLogs(env: EnvironmentRecord): [string, string][];
}

/** The page in pieces, one per case, so that a 10,000-case report is never one string in memory. */
export function* renderHtmlChunks(
  run: RunResults,
  files: ReportFiles,
  generatedAt: Date,
  maskCase: (c: CaseResult) => CaseResult,
  /** Whether a case runs more than once (`times`); the results model knows without a pass over the cases. */
  isRepeated?: (c: CaseResult) => boolean,
): Generator<string> {
  const s = run.summary;
  const counts = new Map<string, number>();
  for (const c of run.cases) counts.set(reportStatus(c), (counts.get(reportStatus(c)) ?? 0) + 1);
  const present = STATUSES.filter((st) => counts.has(st));
  const chips = present
    .map(
      (st) =>
        `<label class="chip ${st}"><input type="checkbox" value="${st}" checked> ${st} <b>${counts.get(st)}</b></label>`,
    )
    .join('');
  const combos = run.combinations.length > 1 || run.combinations.some((c) => c.name !== 'default');
  const repeated = isRepeated ?? repeatedIn(run.cases);
  const link = (p: string) => files.link(p) ?? '';
  const runLogs = [
    ['lisa.log', 'run log'],
    ['events.jsonl', 'events'],
  ]
    .map(([name, text]) => [files.link(name), text] as const)
    .filter(([href]) => href)
    .map(([href, text]) => ` &middot; <a href="${esc(href)}">${text}</a>`)
    .join('');

  yield `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(run.name)} - lisa report</title>
<style>${CSS}</style></head>
<body>
<h1>${esc(run.name || 'lisa run')} <span class="verdict ${esc(run.status)}">${esc(run.status)}</span></h1>
<div class="meta">run ${esc(run.runId)} on ${esc(run.platform)}${runMetadata(run)} &middot; ${s.total} cases in
${esc(formatDuration(run.durationMs))} &middot; started ${esc(run.startedAt ?? '')} &middot; updated ${esc(generatedAt.toISOString())}${runLogs}</div>
<p class="summary" id="summary">${s.passed} passed &middot; ${s.failed} failed &middot; ${s.skipped} skipped &middot; ${s.attempted} attempted${s.unfinished ? ` &middot; ${s.unfinished} unfinished` : ''}</p>
`;
  yield renderEnvironments(run, files);
  if (combos) yield renderCombinations(run);
  yield renderTransformersHtml(run.transformers ?? [], run.bisect, esc, link);

  // Failures first, each with its message, the end of its log and links: what the reader came for.
  const failures = run.cases.filter((c) => reportStatus(c) === 'FAILED');
  if (failures.length) {
    yield `<h2 id="failures">Failures (${failures.length})</h2>\n`;
    let excerpts = 0;
    for (const raw of failures) {
      const c = maskCase(raw);
      // Bounded: a run where everything failed must not read thousands of logs per rewrite.
      const excerpt = c.logPath && excerpts++ < MAX_EXCERPTS ? files.excerpt(c.logPath) : undefined;
      yield renderFailure(c, combos, repeated(c), files, excerpt);
    }
  }

  yield `<h2>Cases</h2>
<div class="filters">Show: ${chips} <input id="search" type="search" placeholder="search cases, messages" aria-label="search"></div>
<p id="shown" class="meta"></p>
<table id="cases"><thead><tr><th>Status</th><th>Case</th>${combos ? '<th>Combination</th>' : ''}<th class="num">Duration</th><th>Details</th></tr></thead>
`;
  // Grouped by area and suite, queue order inside a group; failures lead each group.
  const groups = new Map<string, CaseResult[]>();
  for (const c of run.cases) {
    const key = `${c.area} / ${c.suite}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(c);
  }
  const rank = (c: CaseResult) => (reportStatus(c) === 'FAILED' ? 0 : reportStatus(c) === 'ATTEMPTED' ? 1 : 2);
  for (const [name, cases] of groups) {
    let failed = 0;
    for (const c of cases) if (reportStatus(c) === 'FAILED') failed++;
    yield `<tbody class="group"><tr class="group-head"><th colspan="${combos ? 5 : 4}">${esc(name)} <span class="meta">${count(cases.length, 'case')}${failed ? `, <span class="FAILED">${failed} failed</span>` : ''}</span></th></tr>\n`;
    // Failures, then attempted, then the rest, each in queue order: one pass per rank, no sorted copy.
    for (const r of [0, 1, 2]) {
      for (const raw of cases) if (rank(raw) === r) yield `${renderRow(maskCase(raw), combos, repeated(raw), files)}\n`;
    }
    yield '</tbody>\n';
  }
  yield `</table>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** The whole page as one string (small runs, tests). */
export function renderHtml(
  run: RunResults,
  files: ReportFiles,
  generatedAt: Date,
  maskCase: (c: CaseResult) => CaseResult = (c) => c,
): string {
  return [...renderHtmlChunks(run, files, generatedAt, maskCase)].join('');
}

const MAX_EXCERPTS = 50;

/** What was tested: each environment's nodes (OS, kernel, size), image, its span on a timeline, and its logs. */
/** LISA's test_project, test_pass and tags, as ` · project X · pass Y · tags a, b`. */
function runMetadata(run: RunResults): string {
  const parts = [
    run.testProject ? `project ${esc(run.testProject)}` : '',
    run.testPass ? `pass ${esc(run.testPass)}` : '',
    run.tags?.length ? `tags ${esc(run.tags.join(', '))}` : '',
  ].filter(Boolean);
  return parts.map((p) => ` &middot; ${p}`).join('');
}

function renderEnvironments(run: RunResults, files: ReportFiles): string {
  if (run.environments.length === 0) return '';
  const start = Date.parse(run.startedAt ?? run.environments[0]!.startedAt);
  const end = Math.max(
    start + 1,
    run.endedAt ? Date.parse(run.endedAt) : Date.now(),
    ...run.environments.map((e) => Date.parse(e.endedAt ?? e.startedAt)),
  );
  const rows = run.environments.map((e) => {
    const facts = e.nodes.map((n) => {
      const parts = [
        n.os,
        n.kernel && `kernel ${n.kernel}`,
        n.arch,
        n.cores && `${n.cores} cores`,
        n.memoryMiB && `${n.memoryMiB} MiB`,
      ];
      return `<div><b>${esc(n.name)}</b>${n.address ? ` ${esc(n.address)}` : ''}: ${esc(parts.filter(Boolean).join(', '))}</div>`;
    });
    const extra = [e.image && `image ${e.image}`, e.vmSize && `size ${e.vmSize}`].filter(Boolean).join(', ');
    const from = Date.parse(e.startedAt);
    const to = e.endedAt ? Date.parse(e.endedAt) : end;
    const left = ((from - start) / (end - start)) * 100;
    const width = Math.max(0.5, ((to - from) / (end - start)) * 100);
    const bar = `<div class="track"><div class="bar${e.broken ? ' broken' : ''}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${esc(formatDuration(to - from))}"></div></div>`;
    const logs = files
      .environmentLogs(e)
      .map(([label, href]) => `<a href="${esc(href)}">${esc(label)}</a>`)
      .join(' &middot; ');
    return `<tr class="env"><td>${esc(e.envId)}${e.combination !== 'default' ? `<div class="meta">${esc(e.combination)}</div>` : ''}</td><td>${esc(e.platform)}${extra ? `<div class="meta">${esc(extra)}</div>` : ''}</td><td>${facts.join('')}</td><td class="num">${esc(formatDuration(to - from))}${e.broken ? `<div class="FAILED">broken: ${esc(e.broken)}</div>` : ''}</td><td class="timeline">${bar}</td><td>${logs}</td></tr>`;
  });
  return `<h2>Environments</h2><table id="environments"><thead><tr><th>Environment</th><th>Platform</th><th>Nodes</th><th class="num">Time</th><th>Timeline</th><th>Logs</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n`;
}

function renderCombinations(run: RunResults): string {
  const items = run.combinations.map((c) => {
    const vars = Object.entries(c.variables)
      .map(([k, v]) => `${esc(k)}=${esc(typeof v === 'string' ? v : JSON.stringify(v))}`)
      .join(', ');
    return `<li><b>${esc(c.name)}</b>${vars ? `: ${vars}` : ''}</li>`;
  });
  return `<details><summary>${count(run.combinations.length, 'combination')}</summary><ul>${items.join('')}</ul></details>\n`;
}

function label(c: CaseResult, combos: boolean, repeated: boolean): string {
  const iteration = repeated ? ` <small>#${esc(c.iteration)}</small>` : '';
  return `${esc(c.caseId)}${iteration}${combos && c.combination !== 'default' ? ` <span class="meta">(${esc(c.combination)})</span>` : ''}`;
}

function renderFailure(
  c: CaseResult,
  combos: boolean,
  repeated: boolean,
  files: ReportFiles,
  excerpt?: string,
): string {
  const failedSubs = c.subResults.filter((x) => x.status === 'FAILED');
  const subs = failedSubs.length
    ? `<ul class="subs">${failedSubs.map((x) => `<li><span class="st FAILED">FAILED</span> ${esc(x.name)}${x.message ? `: ${esc(x.message)}` : ''}</li>`).join('')}</ul>`
    : '';
  const log = files.link(c.logPath);
  const tail = excerpt
    ? `<details class="excerpt" open><summary>end of case.log</summary><pre class="msg">${esc(excerpt)}</pre></details>`
    : '';
  const attempts = c.attempts.length > 1 ? ` &middot; failed on attempt ${c.attempt} of ${c.attempts.length}` : '';
  return `<section class="failure" data-case="${esc(c.runCaseId)}"><h3><span class="st FAILED">FAILED</span> ${label(c, combos, repeated)} <span class="meta">${esc(formatDuration(c.durationMs))}${c.envId ? ` on ${esc(c.envId)}` : ''}${attempts}</span></h3>
<pre class="msg">${esc(c.message)}</pre>${subs}${tail}${log ? `<div class="links"><a href="${esc(log)}">case log</a></div>` : ''}</section>\n`;
}

function renderRow(c: CaseResult, combos: boolean, repeated: boolean, files: ReportFiles): string {
  const parts: string[] = [];
  if (c.message) parts.push(`<pre class="msg">${esc(c.message)}</pre>`);
  if (c.subResults.length) {
    const failed = c.subResults.filter((x) => x.status === 'FAILED').length;
    const items = c.subResults
      .map(
        (x) =>
          `<li><span class="st ${esc(x.status)}">${esc(x.status)}</span> ${esc(x.name)}${x.message ? `: ${esc(x.message)}` : ''}</li>`,
      )
      .join('');
    parts.push(
      `<details class="subs"${failed ? ' open' : ''}><summary>${count(c.subResults.length, 'sub-result')}${failed ? `, ${failed} failed` : ''}</summary><ul>${items}</ul></details>`,
    );
  }
  if (c.metrics.length) {
    const items = c.metrics
      .map(
        (m) =>
          `<li>${esc(m.name)} = <b>${esc(m.value)}</b>${m.unit ? ` ${esc(m.unit)}` : ''}${m.description ? ` <i>${esc(m.description)}</i>` : ''}</li>`,
      )
      .join('');
    parts.push(`<details><summary>${count(c.metrics.length, 'metric')}</summary><ul>${items}</ul></details>`);
  }
  if (c.attempts.length > 1) {
    const items = c.attempts
      .map((a) => {
        const log = files.link(a.logPath);
        return `<li>attempt ${a.attempt}: <span class="st ${esc(a.status)}">${esc(a.status)}</span> ${esc(formatDuration(a.durationMs))}${a.message ? ` - ${esc(a.message.split('\n')[0])}` : ''}${log ? ` <a href="${esc(log)}">log</a>` : ''}</li>`;
      })
      .join('');
    parts.push(`<details class="attempts"><summary>${c.attempts.length} attempts</summary><ol>${items}</ol></details>`);
  }
  const links: string[] = [];
  const log = files.link(c.logPath);
  if (log) links.push(`<a href="${esc(log)}">log</a>`);
  if (c.envId) links.push(`env ${esc(c.envId)}`);
  if (links.length) parts.push(`<div class="meta">${links.join(' &middot; ')}</div>`);
  const status = esc(reportStatus(c));
  return (
    `<tr data-status="${status}"><td class="st ${status}">${status}</td>` +
    `<td title="${esc(c.runCaseId)}">${esc(c.caseId)}${repeated ? ` <small>#${esc(c.iteration)}</small>` : ''}</td>` +
    (combos ? `<td>${esc(c.combination)}</td>` : '') +
    `<td class="num">${esc(formatDuration(c.durationMs))}</td><td>${parts.join('')}</td></tr>`
  );
}

function repeatKey(c: CaseResult): string {
  return `${c.combination}\u0000${c.caseId}`;
}

/** Repeats counted from the cases themselves, for callers without a results model. */
function repeatedIn(cases: CaseResult[]): (c: CaseResult) => boolean {
  const perCase = new Map<string, number>();
  for (const c of cases) perCase.set(repeatKey(c), (perCase.get(repeatKey(c)) ?? 0) + 1);
  return (c) => c.iteration > 1 || (perCase.get(repeatKey(c)) ?? 0) > 1;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
