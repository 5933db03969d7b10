/**
 * The worklist as files a department opens: CSV for Excel and WPS (UTF-8 with a byte-order mark,
 * CRLF lines — without the BOM both read UTF-8 as the ANSI code page and garble Chinese), and one
 * self-contained HTML page (no scripts, nothing fetched) that reads on a laptop and a phone.
 */

import { maskNumberShapes } from '../catalog/personal.js';
import { CODE_KEY_MISSING } from '../core/key-missing.js';
import { CODE_STORED_TEXT } from '../ledger/quarantine-merge.js';
import { CODE_VERSION_LIMIT } from '../ledger/version-limit.js';
import type { Worklist, WorklistEntry } from './quarantine-list.js';
import { leavingText, reasonText } from './quarantine-reasons.js';
import { REPORT_CSP } from './reconcile/html-report.js';
import { htmlText as esc } from './reconcile/html-text.js';
import { localTime, zoneLabel } from './reconcile/local-time.js';

const BOM = '\uFEFF';

/**
 * Whether a cell beginning with `value` may be read as a formula: a leading `=`, `+`, `-`, `@`, tab,
 * CR or NUL (CSV injection; OWASP ASVS 1.2.10 names the NUL too, which a spreadsheet may drop
 * before the `=` behind it: a SQLite ledger keeps a key holding one as it is, ledger/nul-text.ts).
 * So is a character that stands for one of the four signs, NFKC folding it to that sign: the
 * full-width `＝`, `＋`, `－`, `＠` a Chinese input method types, which Excel in a double-byte locale
 * (Chinese, Japanese) reads as the signs they are (OWASP www-community issue 1088), and the small
 * forms `﹦`, `﹢`, `﹣`, `﹫` (U+FE66, U+FE62, U+FE63, U+FE6B), double-byte characters of GBK too
 * (0xA984, 0xA980, 0xA981, 0xA988). And the minus sign `−` (U+2212, and the superscript and subscript minus NFKC
 * folds to it): the JIS X 0208 tables (glibc's SHIFT_JIS and EUC-JP, Java's) decode the full-width
 * minus to it (Shift_JIS 0x817C) where Windows' code page 932 decodes it to `－` U+FF0D, so text
 * typed as `－` reaches the ledger as `−` through such a conversion.
 *
 * Not the katakana prolonged sound mark `ー` (U+30FC), listed beside the signs in that OWASP issue:
 * it is a letter of the kana (Lm), NFKC keeps it, code page 932 holds it apart from the minus
 * (0x815B against 0x817C), and Windows' half-width mapping (LCMAP_HALFWIDTH) takes it to the
 * half-width `ｰ` U+FF70, not to `-`; nothing reads it as a sign. The issue's reporter had no Excel
 * to try it on, and its example runs with `＝`. Guarding it would put an apostrophe before Japanese
 * text that no spreadsheet runs.
 */
function formulaStart(value: string): boolean {
  if (/^[=+\-@\t\r\0]/.test(value)) return true;
  const first = String.fromCodePoint(value.codePointAt(0) ?? 0x20).normalize('NFKC');
  return /^[=+\-@\u2212]/.test(first);
}

/** A CSV field: quoted when needed, and an apostrophe first where it may be read as a formula. */
function field(value: string): string {
  const safe = formulaStart(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = [
  '流水线 pipeline',
  '源数据主键 source key',
  '原因代码 code',
  '原因 reason',
  'reason (English)',
  '字段 column',
  '值（已脱敏） value (masked)',
  '首次发现 first seen',
  '最近发现 last seen',
  '次数 times seen',
];

/** One line per reason of each entry, so a filter on the code column finds every row to fix. */
export function worklistCsv(list: Worklist, zone: string): string {
  const lines = [CSV_HEADER.map(field).join(',')];
  for (const e of list.entries) {
    for (const r of e.reasons.length > 0 ? e.reasons : [undefined]) {
      lines.push(
        [
          e.pipeline,
          e.sourceKey,
          r?.code ?? '',
          r?.zh ?? '',
          r?.en ?? '',
          r?.column ?? r?.path ?? '',
          r?.value ?? '',
          localTime(e.firstSeen, zone),
          localTime(e.lastSeen, zone),
          String(e.timesSeen),
        ]
          .map(field)
          .join(','),
      );
    }
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function entryRow(e: WorklistEntry, zone: string): string {
  const reasons = e.reasons
    .map(
      (r) =>
        `<li><span class="code">${esc(r.code)}</span> ${esc(r.zh)}<br><span class="en">${esc(r.en)}</span>${
          r.column || r.path
            ? `<br><span class="where">字段 ${esc(r.column ?? r.path)}${r.value !== undefined ? `：<code>${esc(r.value)}</code>` : ''}</span>`
            : ''
        }</li>`,
    )
    .join('');
  // A business system keyed by the holder's ID or mobile number: the key is personal data too, and
  // this page (unlike the CSV the department filters) is the one that gets forwarded.
  return `<tr><td data-h="源数据主键"><code>${esc(maskNumberShapes(e.sourceKey))}</code><br><span class="en">${esc(e.pipeline)}</span></td><td data-h="原因"><ul>${reasons}</ul></td><td data-h="首次发现">${esc(localTime(e.firstSeen, zone))}</td><td data-h="最近发现">${esc(localTime(e.lastSeen, zone))}</td><td data-h="次数">${e.timesSeen}</td></tr>`;
}

export const WORKLIST_CSS =
  'body{font:15px/1.6 "Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1200px;color:#222}' +
  'h1{font-size:1.4em}table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}' +
  'th{background:#f4f4f4}ul{margin:0;padding-left:1.2em}.en{color:#666;font-size:.9em}.code{font-family:monospace;font-size:.85em;color:#555}.where{font-size:.9em}' +
  // The counts by reason size to what they hold: in a fixed layout the header row set two equal
  // halves (its cells carry no width), so a count took half a phone and a reason code broke mid-word.
  'code{overflow-wrap:anywhere}.summary{table-layout:auto}.summary th,.summary td:last-child{white-space:nowrap}' +
  '@media (max-width:640px){table.list,table.list tbody,table.list tr,table.list td{display:block;width:auto}table.list tr:first-child{display:none}' +
  'table.list tr{border:1px solid #ccc;margin:0 0 12px}table.list td{border:0;border-bottom:1px solid #eee}table.list td::before{content:attr(data-h);display:block;font-size:.8em;color:#666}}';

export function worklistHtml(list: Worklist, zone: string, generatedAt: Date = new Date()): string {
  const counts = Object.entries(list.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([code, n]) =>
        `<tr><td>${esc(reasonText(code).zh)} <span class="code">${esc(code)}</span></td><td>${n}</td></tr>`,
    )
    .join('');
  const rows = list.entries.map((e) => entryRow(e, zone)).join('');
  const generated = `生成时间：${esc(localTime(generatedAt, zone))}（${esc(zoneLabel(zone, 'zh'))}）。`;
  // A corrupt stored text is the ledger's, not the business row's: a clean read keeps its reason
  // open (quarantine-merge.ts); how it closes is what the reasons say too (quarantine-reasons.ts).
  const storedText = list.entries.some((e) => e.reasons.some((r) => r.code === CODE_STORED_TEXT))
    ? `原因为 <span class="code">${CODE_STORED_TEXT}</span> 的记录例外：问题不在业务数据，而是台账中保存的该版本证照内容损坏，无需在业务系统中改正，重新同步不会将其移除；须由技术人员从台账备份中恢复该版本的内容。${esc(leavingText(CODE_STORED_TEXT)?.zh ?? '')}`
    : '';
  // At version 999 the row's change has no version to go to: a sync reading the changed row
  // quarantines it again, and a change issued under a new number leaves the old row as it is. Only
  // the row read as version 999 holds it maps cleanly (ledger/commit-page.ts); the tick's record
  // stays while the license is past its validTo (version-limit.ts stillUnexpirable), a repair's
  // while no row maps to its key, an adoption's until a full check finds the platform no longer
  // holds it (closeAdoptionsAtLimit). `quarantine resolve` closes any of them (quarantine-resolve.ts).
  const versionLimit = list.entries.some((e) => e.reasons.some((r) => r.code === CODE_VERSION_LIMIT))
    ? `原因为 <span class="code">${CODE_VERSION_LIMIT}</span> 的记录例外：证照版本号已达 999（证照标识的版本号只有三位），该记录的改动无法写入台账，重新同步不会将其移除；以新证照编号换发或变更后，原记录仍留在本清单中：${esc(leavingText(CODE_VERSION_LIMIT)?.zh ?? '')}因过了有效期而无法办理到期、因源数据已删除而无法注销的，同步不会将其移除，处理完毕后同样以上述命令移除；仅由平台持有的，对账确认平台不再持有后也会移除。`
    : '';
  // A row without a key stands under a stand-in made from its content: once the key is filled in
  // the row is issued under it, and no sync reads the stand-in again to remove its entry
  // (ledger/quarantine-resolve.ts).
  const keyMissing = list.entries.some((e) => e.reasons.some((r) => r.code === CODE_KEY_MISSING))
    ? `原因为 <span class="code">${CODE_KEY_MISSING}</span> 的记录例外：源数据主键一栏显示的是临时键，不是业务编号。${esc(leavingText(CODE_KEY_MISSING)?.zh ?? '')}`
    : '';
  // Nothing to fix: say so, rather than "the rows below" above tables without rows.
  const body =
    list.entries.length === 0
      ? `<p>本清单中没有待处理的问题数据，无需改正。${generated}</p>`
      : `<p>下列业务记录未能生成电子证照，需要在业务系统中改正后重新同步。改正后的记录在下次同步时自动从本清单中移除。${storedText}${versionLimit}${keyMissing}${generated}个人信息已脱敏。</p>
<h2>按原因统计</h2>
<table class="summary"><tr><th>原因</th><th>条数</th></tr>${counts}</table>
<h2>清单</h2>
<table class="list"><colgroup><col style="width:20%"><col style="width:44%"><col style="width:14%"><col style="width:14%"><col style="width:8%"></colgroup><tr><th>源数据主键</th><th>原因与改正方法</th><th>首次发现</th><th>最近发现</th><th>次数</th></tr>${rows}</table>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><meta name="viewport" content="width=device-width,initial-scale=1"><title>待处理的问题数据</title>
<style>${WORKLIST_CSS}</style></head>
<body>
<h1>待处理的问题数据（${list.entries.length} 条）</h1>
${body}
</body></html>
`;
}
