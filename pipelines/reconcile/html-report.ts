/**
 * The HTML report: one self-contained file (inline CSS, no scripts, nothing fetched) that a person
 * can open, read and forward — in Chinese by default, English on request. It says first whether
 * everything agrees, then for each kind of difference what it means, what to do and the command,
 * then the licenses by number and holder with each side's view. Times are local (the configured
 * zone). The layout reads on a laptop and on a phone: tables wrap their text, and below 640 px
 * the license table becomes one card per license. Personal data appears masked only.
 */
import { htmlText as esc } from './html-text.js';
import { localTime, zoneLabel } from './local-time.js';
import { leftOut, leftOutLabel, leftOutLead } from './not-compared.js';
import {
  areaRows,
  awaitingDelivery,
  ownView,
  platformViews,
  presentGroups,
  sourceLicenses,
  statusCounts,
  unreadTargets,
} from './report-view.js';
import {
  AHEAD_OF_CLOCK,
  AWAITING_DELIVERY,
  AWAITING_TICK,
  CHANGED_AHEAD_OF_CLOCK,
  differenceLabel,
  groupAdvice,
  type ReportLang,
  type ReportOptions,
  STAND_INS_NAMED,
  STAND_INS_NOT_SEEN,
  shrunkNotice,
} from './report-words.js';
import { shownStandIn } from './stand-ins-gone.js';
import type { ReconcileReport, ShownDifference } from './types.js';

/**
 * The content policy a report carries in its own `<meta>`: it loads and runs nothing, so a value
 * from legacy data or a platform's answer that ever slipped into the markup unescaped still could
 * not run a script or send the page's data anywhere (a report is opened from disk or a mail, where
 * no server sends headers). Styles are inline (`<style>`, `<col style>`) and stay allowed.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const WORDS = {
  zh: {
    title: (p: string) => `数据核对报告：${p}`,
    agree: '业务系统、本系统和平台的数据一致，没有发现差异。',
    agreeLight: '快速核对没有发现差异：业务系统的记录与本系统的证照数量和业务编号一致；未核对内容和平台。',
    unread: (targets: string) => `没有发现差异，但平台 ${targets} 无法查询，未与其核对。`,
    differ: (n: number) => `发现 ${n} 处差异，需要处理。`,
    meta: (from: string, to: string, zone: string, full: boolean) =>
      `核对时间：${from} 至 ${to}（${zone}）。${full ? '完整核对：逐条比较业务系统、本系统与平台。' : '快速核对：只比较数量和业务编号，未比较内容和平台。'}`,
    counts: '数量',
    side: '',
    total: '证照数',
    byStatus: '按状态',
    source: '业务系统（可生成证照的记录）',
    own: '本系统（已生成的证照）',
    platform: (t: string) => `平台 ${t}`,
    unavailable: (why: string) => `无法查询：${why}`,
    quarantined: (n: number, p: string) =>
      n === 0
        ? '业务系统中没有无法生成证照的记录。'
        : `另有 ${n} 条业务记录有错误，无法生成证照；清单和改正方法见 <code>licbridge quarantine list --pipeline ${esc(p)}</code>。`,
    kinds: '差异及处理方法',
    count: (n: number) => `${n} 条`,
    licenses: (shown: number, all: number) => `差异明细（显示 ${shown} 条，共 ${all} 条；个人信息已脱敏）`,
    kind: '差异',
    number: '证照编号',
    holder: '持证主体',
    key: '业务编号',
    ownCol: '本系统',
    platformCol: '平台',
    id: '证照标识',
    areas: '按行政区划统计',
    area: '区划代码',
    areaSource: '业务系统',
    areaOwn: '本系统',
    areaLegend:
      '红色：该区划两边数量不同，且本次核对发现了会造成这种不同的差异（见上文“差异及处理方法”）。本系统一侧还计入已按删除处理策略撤销或注销的证照，以及业务记录已删除的已终止证照（撤销、注销、撤回）；它们不算差异。未标红的数量不同本身无需处理，但同一区划仍可能有上文列出的差异（如漏报的证照被这些证照抵消）：需处理的以上文差异为准。',
    notAsked: '未查询',
  },
  en: {
    title: (p: string) => `Reconciliation report: ${p}`,
    agree: 'Source, ledger and platforms agree.',
    agreeLight:
      'This light check found no difference in counts and record keys; content and platforms were not compared.',
    unread: (targets: string) =>
      `No differences found, but ${targets} could not be asked and was not compared.`,
    differ: (n: number) =>
      n === 1 ? '1 difference found that needs attention.' : `${n} differences found that need attention.`,
    meta: (from: string, to: string, zone: string, full: boolean) =>
      `Checked ${from} to ${to} (${zone}). ${full ? 'Full check: every record compared between the business system, licbridge and the platforms.' : 'Light check: counts and record keys only; content and platforms not compared.'}`,
    counts: 'Counts',
    side: '',
    total: 'licenses',
    byStatus: 'by status',
    source: 'Business system (records that make a license)',
    own: 'licbridge (licenses made)',
    platform: (t: string) => `Platform ${t}`,
    unavailable: (why: string) => `cannot be asked: ${why}`,
    quarantined: (n: number, p: string) =>
      n === 0
        ? 'No record of the business system fails to make a license.'
        : `${n} more records of the business system have errors and make no license; the list with what to fix: <code>licbridge quarantine list --pipeline ${esc(p)}</code>.`,
    kinds: 'Differences and what to do',
    count: (n: number) => `${n}`,
    licenses: (shown: number, all: number) => `The licenses (${shown} of ${all} shown; personal data masked)`,
    kind: 'difference',
    number: 'license number',
    holder: 'holder',
    key: 'record key',
    ownCol: 'licbridge',
    platformCol: 'platform',
    id: 'license identifier',
    areas: 'Counts per area',
    area: 'area code',
    areaSource: 'business system',
    areaOwn: 'licbridge',
    areaLegend:
      "Red: the two counts of the area differ and this check found differences that make such a gap (see “Differences and what to do” above). licbridge's count also holds deletions the deletion policy already answered (revoked or cancelled) and ended licenses (revoked, cancelled, withdrawn) whose records are gone; they are no difference. A gap not in red needs nothing done by itself, but the area can still hold a difference listed above (a missed license offset by those): what to do is what the differences above say.",
    notAsked: 'not asked',
  },
} as const;

type Words = (typeof WORDS)[ReportLang];

const CSS =
  'body{font:15px/1.6 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1200px;color:#222}' +
  'h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em}.ok{color:#1d6b1d}.bad{color:#a3322d}.lead{font-size:1.15em;font-weight:600}.meta{color:#555}' +
  'table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.6em 0}td,th{border:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f4f4f4}' +
  'code{font-size:.92em;overflow-wrap:anywhere;background:#f6f6f6;padding:0 3px}.cmd{display:block;padding:6px 8px;margin:.3em 0;white-space:pre-wrap}' +
  '.kind{border:1px solid #ddd;border-left:4px solid #a3322d;padding:8px 12px;margin:.8em 0}.kind h3{margin:0;font-size:1.05em}.small{color:#666;font-size:.85em}' +
  '.notice{border:1px solid #e3b341;background:#fff8e1;padding:8px 12px}' +
  // The counts and area tables size their columns to what they hold: a fixed share left a phone
  // about 40 px for the counts, and `overflow-wrap:anywhere` then broke the counts and their
  // heading mid-word (`1289|0`, `licen|ses`). Counts and column headings keep to one line; the
  // labels and statuses, values from the config and platforms, still wrap anywhere in the rest.
  'table.counts,table.areas{table-layout:auto}table.counts tr:first-child th,table.areas tr:first-child th,table.counts td:nth-child(2):not([colspan]){white-space:nowrap}' +
  '@media (max-width:640px){body{padding:10px}table.list,table.list tbody,table.list tr,table.list td{display:block;width:auto}table.list tr:first-child{display:none}' +
  'table.list tr{border:1px solid #ccc;margin:0 0 12px}table.list td{border:0;border-bottom:1px solid #eee}table.list td::before{content:attr(data-h);display:block;font-size:.8em;color:#666}' +
  'table.list col{width:auto!important}}';

/**
 * A platform's statuses, then what awaits delivery there; a platform holding none yet (a target
 * added since the last run) shows the count alone, not a dash for no statuses before it.
 */
function targetStatuses(
  byStatus: Record<string, number>,
  awaiting: number | undefined,
  lang: ReportLang,
): string {
  if (!awaiting) return statusCounts(byStatus, lang);
  const count = AWAITING_DELIVERY[lang].count(awaiting);
  if (Object.keys(byStatus).length === 0) return count;
  return `${statusCounts(byStatus, lang)}${lang === 'zh' ? '；' : '; '}${count}`;
}

/** A label and its value: the full-width colon belongs to the Chinese report only. */
const labelled = (label: string, value: string, lang: ReportLang): string =>
  `${label}${lang === 'zh' ? '：' : ': '}${value}`;

function countsTable(r: ReconcileReport, w: Words, lang: ReportLang): string {
  const row = (label: string, total: string, status: string) =>
    `<tr><th>${esc(label)}</th><td>${total}</td><td>${status}</td></tr>`;
  const targets = Object.entries(r.counts.targets).map(([t, c]) =>
    'unavailable' in c
      ? `<tr><th>${esc(w.platform(t))}</th><td colspan="2">${esc(leftOut(c) ? leftOutLabel(r.pipeline, lang) : w.unavailable(c.unavailable))}</td></tr>`
      : row(w.platform(t), String(c.total), esc(targetStatuses(c.byStatus, c.awaitingDelivery, lang))),
  );
  return `<table class="counts"><colgroup><col style="width:40%"><col style="width:15%"><col style="width:45%"></colgroup><tr><th>${w.side}</th><th>${w.total}</th><th>${w.byStatus}</th></tr>${row(
    w.source,
    String(sourceLicenses(r)),
    esc(statusCounts(r.counts.source.byStatus, lang)),
  )}${row(w.own, String(r.counts.ledger.total), esc(statusCounts(r.counts.ledger.byStatus, lang)))}${targets.join('')}</table>`;
}

/**
 * One row per area code, source and licbridge side by side (GB/T 2260 division codes). Its
 * headings name the sides briefly, as the counts table above them describes them: the full
 * descriptions took four lines each on a phone.
 */
function areaTable(r: ReconcileReport, w: Words): string {
  const areas = areaRows(r);
  if (areas.length === 0) return '';
  // Red only where a counted difference can make the gap: licbridge's side also holds answered
  // deletions and ended licenses whose rows are gone, which are no difference (areaRows).
  const rows = areas
    .map(
      (a) =>
        `<tr><td><code>${esc(a.area)}</code></td><td>${a.source}</td><td${a.flagged ? ' class="bad"' : ''}>${a.own}</td></tr>`,
    )
    .join('');
  return `<h2>${w.areas}</h2>\n<table class="areas"><tr><th>${w.area}</th><th>${w.areaSource}</th><th>${w.areaOwn}</th></tr>${rows}</table>\n<p class="small">${esc(w.areaLegend)}</p>`;
}

function licenseRow(r: ReconcileReport, d: ShownDifference, w: Words, lang: ReportLang): string {
  const views = platformViews(r, d, lang);
  const platform =
    views.length === 0
      ? esc(w.notAsked)
      : views.map((v) => esc(labelled(v.target, v.text, lang))).join('<br>');
  return `<tr><td data-h="${esc(w.kind)}">${esc(differenceLabel(d, lang))}</td><td data-h="${esc(w.number)}">${esc(d.number ?? '-')}</td><td data-h="${esc(w.holder)}">${esc(d.holderName ?? '-')}<br><span class="small">${esc(d.holderId ?? '')}</span></td><td data-h="${esc(w.key)}"><code>${esc(d.sourceKey ?? '-')}</code></td><td data-h="${esc(w.ownCol)}">${esc(ownView(d, lang))}</td><td data-h="${esc(w.platformCol)}">${platform}</td><td data-h="${esc(w.id)}"><span class="small">${esc(d.licenseId || '-')}</span></td></tr>`;
}

/**
 * Whether everything agrees, said only of the sides compared: a platform that could not be asked,
 * or the content and platforms a light check never reads, are not called in agreement.
 */
function leadLine(r: ReconcileReport, w: Words, lang: ReportLang): { ok: boolean; text: string } {
  if (r.differences > 0) return { ok: false, text: w.differ(r.differences) };
  // A target `--target` left out could have been asked: its line says so and how, not that it cannot be.
  const join = (ts: string[]) => ts.join(lang === 'zh' ? '、' : ', ');
  const unread = unreadTargets(r);
  const cannot = unread.filter((t) => !leftOut(r.counts.targets[t]));
  if (cannot.length > 0) return { ok: false, text: w.unread(join(cannot)) };
  if (unread.length > 0) return { ok: false, text: leftOutLead(join(unread), lang) };
  const agree = r.mode === 'full' ? w.agree : w.agreeLight;
  // Awaiting delivery is no difference, but the platform does not hold those latest versions yet.
  return {
    ok: true,
    text: awaitingDelivery(r) ? `${agree}${lang === 'zh' ? '' : ' '}${AWAITING_DELIVERY[lang].lead}` : agree,
  };
}

export function htmlReport(r: ReconcileReport, options: ReportOptions): string {
  const lang = options.lang ?? 'zh';
  const zone = options.timeZone;
  const policies = options.policies;
  const w = WORDS[lang];
  const kinds = presentGroups(r)
    .map((g) => {
      const a = groupAdvice(g, r.pipeline, lang, policies);
      return `<section class="kind"><h3>${esc(labelled(differenceLabel(g, lang), w.count(g.count), lang))}</h3><p>${esc(a.meaning)}</p><p>${esc(a.todo)}${a.command ? `<code class="cmd">${esc(a.command)}</code>` : ''}</p></section>`;
    })
    .join('\n');
  const rows = r.sample.map((d) => licenseRow(r, d, w, lang)).join('');
  const lead = leadLine(r, w, lang);
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(w.title(r.pipeline))}</title>
<style>${CSS}</style></head>
<body>
<h1>${esc(w.title(r.pipeline))}</h1>
<p class="lead ${lead.ok ? 'ok' : 'bad'}">${esc(lead.text)}</p>
<p class="meta">${esc(w.meta(localTime(r.startedAt, zone), localTime(r.finishedAt, zone), zoneLabel(zone, lang), r.mode === 'full'))}</p>
${r.sourceShrunk ? `<p class="notice">${esc(shrunkNotice(r.sourceShrunk, lang))}</p>` : ''}
${kinds ? `<h2>${w.kinds}</h2>\n${kinds}` : ''}
<h2>${w.counts}</h2>
${countsTable(r, w, lang)}
${awaitingDelivery(r) ? `<p>${esc(AWAITING_DELIVERY[lang].note)}</p>` : ''}
${r.counts.source.awaitingTick ? `<p>${esc(AWAITING_TICK[lang](r.counts.source.awaitingTick))}</p>` : ''}
${r.counts.source.aheadOfClock ? `<p>${esc(AHEAD_OF_CLOCK[lang](r.counts.source.aheadOfClock))}</p>` : ''}
${r.counts.source.changedAheadOfClock ? `<p>${esc(CHANGED_AHEAD_OF_CLOCK[lang](r.counts.source.changedAheadOfClock))}</p>` : ''}
${r.counts.source.standInsNotSeen ? `<p>${esc(STAND_INS_NOT_SEEN[lang](r.counts.source.standInsNotSeen))}</p>` : ''}
${r.standInsNotSeen?.length ? `<p>${esc(STAND_INS_NAMED[lang](r.standInsNotSeen.map(shownStandIn), (r.counts.source.standInsNotSeen ?? 0) - r.standInsNotSeen.length))}</p>` : ''}
<p>${w.quarantined(r.counts.source.quarantined, r.pipeline)}</p>
${
  r.sample.length > 0
    ? `<h2>${esc(w.licenses(r.sample.length, r.differences))}</h2>
<table class="list"><colgroup><col style="width:12%"><col style="width:14%"><col style="width:14%"><col style="width:10%"><col style="width:11%"><col style="width:15%"><col style="width:24%"></colgroup><tr><th>${w.kind}</th><th>${w.number}</th><th>${w.holder}</th><th>${w.key}</th><th>${w.ownCol}</th><th>${w.platformCol}</th><th>${w.id}</th></tr>${rows}</table>`
    : ''
}
${areaTable(r, w)}
<p class="small">licbridge · ${esc(r.reportId)} · ${esc(r.licenseType)}</p>
</body></html>
`;
}
