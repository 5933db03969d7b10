/**
 * The HTML report: one self-contained file (inline CSS and SVG, no scripts, nothing fetched) that
 * a person can open, read and forward. Personal data appears masked only (core/mask.ts).
 */
import { DIFFERENCE_KINDS, type ReconcileReport } from './types.js';

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A horizontal bar chart as inline SVG. */
function bars(title: string, data: readonly [string, number][]): string {
  const max = Math.max(1, ...data.map(([, n]) => n));
  const rowH = 22;
  const height = Math.max(1, data.length) * rowH + 10;
  const rows = data
    .map(([label, n], i) => {
      const w = Math.round((n / max) * 360);
      const y = i * rowH + 5;
      return `<text x="0" y="${y + 15}" font-size="12">${esc(label)}</text><rect x="230" y="${y + 3}" width="${w}" height="14" fill="#b4413c"/><text x="${236 + w}" y="${y + 15}" font-size="12">${n}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="660" height="${height}" role="img" aria-label="${esc(title)}">${rows || '<text x="0" y="15" font-size="12">none</text>'}</svg></figure>`;
}

function counts(label: string, c: { total: number; byStatus: Record<string, number> }): string {
  const status = Object.entries(c.byStatus)
    .map(([k, v]) => `${esc(k)} ${v}`)
    .join(', ');
  return `<tr><th>${esc(label)}</th><td>${c.total}</td><td>${status || '-'}</td></tr>`;
}

/** One row per area code, source and ledger side by side (GB/T 2260 division codes). */
function areaTable(r: ReconcileReport): string {
  const source = r.counts.source.byArea ?? {};
  const ledger = r.counts.ledger.byArea ?? {};
  const areas = [...new Set([...Object.keys(source), ...Object.keys(ledger)])].sort();
  if (areas.length === 0) return '<p>Counts per area: not computed (light check).</p>';
  const rows = areas
    .map((a) => {
      const s = source[a] ?? 0;
      const l = ledger[a] ?? 0;
      return `<tr><td><code>${esc(a)}</code></td><td>${s}</td><td${s === l ? '' : ' class="bad"'}>${l}</td></tr>`;
    })
    .join('');
  return `<h2>Counts per area</h2>\n<table><tr><th>area code</th><th>source</th><th>ledger</th></tr>${rows}</table>`;
}

export function htmlReport(r: ReconcileReport): string {
  const targetRows = Object.entries(r.counts.targets)
    .map(([t, c]) =>
      'unavailable' in c
        ? `<tr><th>${esc(t)}</th><td colspan="2">unavailable: ${esc(c.unavailable)}</td></tr>`
        : counts(`platform ${t}`, c),
    )
    .join('');
  const byKind = DIFFERENCE_KINDS.map((k) => [k, r.byKind[k]] as [string, number]);
  const bySide = Object.entries(r.byKindAndSide).sort();
  const sample = r.sample
    .map(
      (d) =>
        `<tr><td>${esc(d.kind)}</td><td>${esc(d.target ?? 'source')}</td><td><code>${esc(d.licenseId)}</code></td><td>${esc(d.sourceKey)}</td><td>${esc(d.number)}</td><td>${esc(d.holderName)}</td><td>${esc(d.holderId)}</td><td>${esc(d.ledger ? `${d.ledger.status} v${d.ledger.version}` : '-')}</td><td>${esc(d.platform ? `${d.platform.status} v${d.platform.version}` : '-')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>licbridge reconcile ${esc(r.pipeline)} ${esc(r.reportId)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.ok{color:#2a7d2a}.bad{color:#b4413c}figure{margin:1em 0}figcaption{font-weight:600}</style></head>
<body>
<h1>Reconciliation of <code>${esc(r.pipeline)}</code></h1>
<p>Report <code>${esc(r.reportId)}</code> — ${esc(r.mode)} check — license type <code>${esc(r.licenseType)}</code> — ${esc(r.startedAt)} to ${esc(r.finishedAt)}</p>
<p class="${r.differences === 0 ? 'ok' : 'bad'}"><strong>${r.differences === 0 ? 'Source, ledger and platforms agree.' : `${r.differences} differences found.`}</strong></p>
<h2>Counts</h2>
<table><tr><th>side</th><th>licenses</th><th>by status</th></tr>${counts('source', r.counts.source)}${counts('ledger', r.counts.ledger)}${targetRows}</table>
<p>Source rows that do not map (quarantined): ${r.counts.source.quarantined}. Buckets compared: ${r.buckets.total}, differing: ${r.buckets.differing}.</p>
${areaTable(r)}
<h2>Differences</h2>
${bars('by kind', byKind)}
${bars('by kind and side', bySide)}
<h2>First differing licenses (${r.sample.length} of ${r.differences}; personal data masked)</h2>
<table><tr><th>kind</th><th>side</th><th>license id</th><th>source key</th><th>number</th><th>holder</th><th>holder id</th><th>ledger</th><th>platform</th></tr>${sample}</table>
</body></html>
`;
}
