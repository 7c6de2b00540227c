import { cleanText, formatDuration, linkFrom } from './format.js';
import type { CaseResult, RunResults } from '../results/results-model.js';
import { renderTransformersHtml } from './transformer-report.js';
import { reportStatus } from '../results/report-status.js';

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

/** Interrupted cases get their own filter: their FAILED/SKIPPED says nothing about the image. */
function shownStatus(c: CaseResult): string {
  return reportStatus(c);
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}.meta{color:#666;margin-bottom:1em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right;white-space:nowrap}
.st{font-weight:600;white-space:nowrap}.PASSED{color:#1a7f37}.FAILED{color:#cf222e}.SKIPPED{color:#9a6700}
.ATTEMPTED{color:#8250df}.RUNNING,.QUEUED,.UNFINISHED{color:#666}
.msg{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;margin:0;max-height:20em;overflow:auto}
.filters label{margin-right:1em;cursor:pointer}.counts span{margin-right:1.2em}
details{margin-top:.3em}summary{cursor:pointer;color:#555}ul{margin:.2em 0;padding-left:1.2em}
`;

// Filters only toggle rows that the server already rendered, so the page works without scripts too.
const SCRIPT = `
const search = document.getElementById('search');
function apply() {
  const shown = new Set([...document.querySelectorAll('.filters input:checked')].map((b) => b.value));
  const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  for (const row of document.querySelectorAll('tr[data-status]')) {
    const text = row.textContent.toLowerCase();
    row.hidden = !shown.has(row.dataset.status) || !words.every((w) => text.includes(w));
  }
}
for (const box of document.querySelectorAll('.filters input')) box.addEventListener('change', apply);
search.addEventListener('input', apply);
`;

export function renderHtml(run: RunResults, reportFile: string, runDir: string, generatedAt: Date): string {
  const s = run.summary;
  const state = run.status;
  const present = STATUSES.filter((st) => run.cases.some((c) => shownStatus(c) === st));
  const counts = present
    .map((st) => `<span class="${st}">${st} ${run.cases.filter((c) => shownStatus(c) === st).length}</span>`)
    .join('');
  const filters = present.map((st) => `<label><input type="checkbox" value="${st}" checked> ${st}</label>`).join('');
  const combos = run.combinations.length > 1 || run.combinations.some((c) => c.name !== 'default');
  const perCase = new Map<string, number>();
  for (const c of run.cases)
    perCase.set(`${c.combination}\0${c.caseId}`, (perCase.get(`${c.combination}\0${c.caseId}`) ?? 0) + 1);
  // Failures first: they are what the reader came for; the rest keep queue order.
  const rank = (c: CaseResult) => (shownStatus(c) === 'FAILED' ? 0 : shownStatus(c) === 'ATTEMPTED' ? 1 : 2);
  const rows = [...run.cases]
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => renderRow(c, combos, (perCase.get(`${c.combination}\0${c.caseId}`) ?? 0) > 1, reportFile, runDir))
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(run.name)} - lisa report</title>
<style>${CSS}</style></head>
<body>
<h1>${esc(run.name || 'lisa run')} <span class="${esc(state)}">${esc(state)}</span></h1>
<div class="meta">run ${esc(run.runId)} on ${esc(run.platform)} &middot; ${s.total} cases in
${esc(formatDuration(run.durationMs))} &middot; started ${esc(run.startedAt ?? '')} &middot; updated ${esc(generatedAt.toISOString())}</div>
${combos ? renderCombinations(run) : ''}
${renderTransformersHtml(run.transformers ?? [], run.bisect, esc, (p) => linkFrom(reportFile, runDir, p))}
<p class="counts">${counts}</p>
<p class="filters">Show: ${filters} <input id="search" type="search" placeholder="search cases, messages" aria-label="search"></p>
<table><thead><tr><th>Status</th><th>Case</th>${combos ? '<th>Combination</th>' : ''}<th class="num">Duration</th><th>Details</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
}

function renderCombinations(run: RunResults): string {
  const items = run.combinations.map((c) => {
    const vars = Object.entries(c.variables)
      .map(([k, v]) => `${esc(k)}=${esc(typeof v === 'string' ? v : JSON.stringify(v))}`)
      .join(', ');
    return `<li><b>${esc(c.name)}</b>${vars ? `: ${vars}` : ''}</li>`;
  });
  return `<details><summary>${count(run.combinations.length, 'combination')}</summary><ul>${items.join('')}</ul></details>`;
}

function renderRow(c: CaseResult, combos: boolean, repeated: boolean, reportFile: string, runDir: string): string {
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
      `<details${failed ? ' open' : ''}><summary>${count(c.subResults.length, 'sub-result')}${failed ? `, ${failed} failed` : ''}</summary><ul>${items}</ul></details>`,
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
      .map(
        (a) =>
          `<li>attempt ${a.attempt}: <span class="${esc(a.status)}">${esc(a.status)}</span> ${esc(formatDuration(a.durationMs))}${a.message ? ` - ${esc(a.message.split('\n')[0])}` : ''}</li>`,
      )
      .join('');
    parts.push(`<details><summary>${c.attempts.length} attempts</summary><ul>${items}</ul></details>`);
  }
  const links: string[] = [];
  if (c.logPath) links.push(`<a href="${esc(hrefOf(linkFrom(reportFile, runDir, c.logPath)))}">log</a>`);
  if (c.envId) links.push(`env ${esc(c.envId)}`);
  if (links.length) parts.push(`<div class="meta">${links.join(' &middot; ')}</div>`);
  const iteration = repeated || c.iteration > 1 ? ` <small>#${esc(c.iteration)}</small>` : '';
  const status = esc(shownStatus(c));
  return (
    `<tr data-status="${status}"><td class="st ${status}">${status}</td>` +
    `<td title="${esc(c.runCaseId)}">${esc(c.caseId)}${iteration}</td>` +
    (combos ? `<td>${esc(c.combination)}</td>` : '') +
    `<td class="num">${esc(formatDuration(c.durationMs))}</td><td>${parts.join('')}</td></tr>`
  );
}

/** Each segment encoded: case directories may contain `#` or `?`, which would cut a plain URL short. */
function hrefOf(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
