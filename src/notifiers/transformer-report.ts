/** The transformer and git_bisect parts of the HTML and JUnit reports, kept out of the case code. */
import type { BisectRecord, TransformerRecord } from '../results/results-model.js';

export function transformerLabel(t: TransformerRecord): string {
  const where = [t.phase, t.combination !== 'default' ? t.combination : undefined, t.envId].filter(Boolean);
  return `${t.name} (${t.type}, ${where.join(', ')})`;
}

export function outputsText(outputs: Record<string, unknown>): string {
  return Object.entries(outputs)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

export function renderTransformersHtml(
  transformers: TransformerRecord[],
  bisect: BisectRecord | undefined,
  esc: (s: string) => string,
  link: (p: string) => string,
): string {
  const parts: string[] = [];
  if (transformers.length) {
    const rows = transformers.map((t) => {
      const detail = t.status === 'PASSED' ? outputsText(t.outputs) : t.message;
      const log = t.logPath ? ` <a href="${esc(link(t.logPath))}">log</a>` : '';
      return `<tr class="${esc(t.status)}"><td class="st ${esc(t.status)}">${esc(t.status)}</td><td>${esc(transformerLabel(t))}</td><td><pre class="msg">${esc(detail)}</pre>${log}</td></tr>`;
    });
    parts.push(
      `<h2>Transformers</h2><table><thead><tr><th>Status</th><th>Transformer</th><th>Outputs / message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }
  if (bisect) {
    const steps = bisect.steps.map((s) => `<li>${s.iteration}: ${esc(s.commit)} <b>${esc(s.verdict)}</b></li>`);
    parts.push(`<h2>git bisect</h2><p>${esc(bisect.summary ?? 'not finished')}</p><ol>${steps.join('')}</ol>`);
  }
  return parts.join('\n');
}
