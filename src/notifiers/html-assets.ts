/** The report page's inline style and script: one self-contained file, no external assets. */

export const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{font-size:1em;margin:0 0 .3em}
.meta{color:#666}.summary{font-size:1.05em;margin:.6em 0}
.verdict{padding:.1em .5em;border-radius:4px}.verdict.PASSED{background:#1a7f37;color:#fff}
.verdict.FAILED{background:#cf222e;color:#fff}.verdict.RUNNING,.verdict.INTERRUPTED{background:#9a6700;color:#fff}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right;white-space:nowrap}
.group-head th{background:#eef2f7}
.st{font-weight:600;white-space:nowrap}.PASSED{color:#1a7f37}.FAILED{color:#cf222e}.SKIPPED{color:#9a6700}
.ATTEMPTED{color:#8250df}.RUNNING,.QUEUED,.UNFINISHED{color:#666}
.msg{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;margin:0;max-height:20em;overflow:auto}
.failure{border-left:4px solid #cf222e;background:#fff5f5;padding:.5em .8em;margin:.6em 0}
.failure .excerpt pre{background:#fff;border:1px solid #eee;padding:.4em}
.filters{margin:.5em 0}.chip{display:inline-block;margin-right:.6em;padding:.15em .5em;border:1px solid #ccc;border-radius:1em;cursor:pointer}
details{margin-top:.3em}summary{cursor:pointer;color:#555}ul,ol{margin:.2em 0;padding-left:1.4em}
.timeline{min-width:12em}.track{position:relative;height:.8em;background:#f0f0f0;border-radius:3px}
.bar{position:absolute;top:0;bottom:0;background:#54aeff;border-radius:3px}.bar.broken{background:#cf222e}
`;

// Filters only hide rows that the server already rendered, so the page reads without scripts too.
export const SCRIPT = `
const search = document.getElementById('search');
const shownText = document.getElementById('shown');
function apply() {
  const shown = new Set([...document.querySelectorAll('.filters input:checked')].map((b) => b.value));
  const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let visible = 0;
  let total = 0;
  for (const group of document.querySelectorAll('tbody.group')) {
    let any = false;
    for (const row of group.querySelectorAll('tr[data-status]')) {
      const text = row.textContent.toLowerCase();
      row.hidden = !shown.has(row.dataset.status) || !words.every((w) => text.includes(w));
      total++;
      if (!row.hidden) { visible++; any = true; }
    }
    group.querySelector('.group-head').hidden = !any;
  }
  shownText.textContent = visible === total ? '' : visible + ' of ' + total + ' cases shown';
}
for (const box of document.querySelectorAll('.filters input')) box.addEventListener('change', apply);
search.addEventListener('input', apply);
`;
