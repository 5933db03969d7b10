/**
 * What the HTML and terminal reports show of each differing license, decided once for both: the
 * license number and holder as the department knows them, each side's state in words, and the
 * platform's view wherever the platform was asked — also for differences that arise between the
 * business system and licbridge (a license deleted at the source is still valid at the province).
 */
import {
  UNREADABLE_REASONS,
  type UnreadableReasonCode,
} from '../../adapters/platforms/unreadable-reasons.js';
import { type ReportLang, statusLabel } from './report-words.js';
import { DIFFERENCE_KINDS, type Difference, type ReconcileReport, type ShownDifference } from './types.js';

const PLATFORM_KINDS = new Set([
  'missing-at-platform',
  'unknown-at-platform',
  'status-drift',
  'platform-content-mismatch',
  'unreadable-at-platform',
]);

export interface PlatformView {
  target: string;
  text: string;
}

function version(v: number, lang: ReportLang): string {
  return lang === 'zh' ? `第 ${v} 版` : `version ${v}`;
}

/** The platform's view of one license at each compared target. */
export function platformViews(r: ReconcileReport, d: ShownDifference, lang: ReportLang): PlatformView[] {
  const zh = lang === 'zh';
  const held = (p: NonNullable<Difference['platform']>) =>
    `${statusLabel(p.status, lang)}（${version(p.version, lang)}）`;
  if (d.target !== null) {
    if (d.unreadable) return [{ target: d.target, text: unreadableText(d.unreadable, lang) }];
    if (d.kind === 'missing-at-platform' || !d.platform)
      return [{ target: d.target, text: zh ? '没有这张证照' : 'not held' }];
    return [
      {
        target: d.target,
        text: zh
          ? held(d.platform)
          : `${statusLabel(d.platform.status, lang)} (${version(d.platform.version, lang)})`,
      },
    ];
  }
  const compared = Object.entries(r.counts.targets)
    .filter(([, c]) => !('unavailable' in c))
    .map(([t]) => t);
  // A platform difference of the same license, if the check found one at that target.
  const atTarget = new Map(
    (r.all ?? [])
      .filter((x) => x.licenseId === d.licenseId && x.target !== null && PLATFORM_KINDS.has(x.kind))
      .map((x) => [x.target as string, x]),
  );
  return compared.map((target) => {
    const other = atTarget.get(target);
    if (other) {
      if (other.unreadable) return { target, text: unreadableText(other.unreadable, lang) };
      if (other.kind === 'missing-at-platform' || !other.platform)
        return { target, text: zh ? '没有这张证照' : 'not held' };
      return {
        target,
        text: zh
          ? held(other.platform)
          : `${statusLabel(other.platform.status, lang)} (${version(other.platform.version, lang)})`,
      };
    }
    // The platform walk compared every license licbridge holds: no difference there means the
    // platform holds the latest version as licbridge does, unless that version awaits delivery
    // there (not sent yet: no difference, and not held). A license never made was never sent.
    if (!d.ledger) return { target, text: zh ? '未推送' : 'never sent' };
    if (d.awaitingAt?.includes(target)) return { target, text: zh ? '待推送' : 'awaiting delivery' };
    return {
      target,
      text: zh
        ? `${statusLabel(d.ledger.status, lang)}（${version(d.ledger.version, lang)}）`
        : `${statusLabel(d.ledger.status, lang)} (${version(d.ledger.version, lang)})`,
    };
  });
}

/**
 * The reasons the platform adapters (and the platform check, padded-id.ts) give for an entry that
 * cannot be read back, in the Chinese reports' words, by the reason's code
 * (adapters/platforms/unreadable-reasons.ts, where both take their words from): every reason has
 * its words, and one reworded there is still found. A reason not known (a stored report of an older wording) is shown as given.
 */
const UNREADABLE_ZH: Readonly<Record<UnreadableReasonCode, string>> = {
  noLicenseId: '缺少证照标识 licenseId',
  versionNotNumber: '版本号不是数字',
  versionFraction: '版本号是小数',
  versionNegative: '版本号是负数',
  versionZero: '版本号是零',
  versionTooLarge: '版本号过大，无法精确表示',
  versionSignedOrPointed: '版本号是带正负号或小数点写法的整数',
  notAnObject: '条目不是 JSON 对象',
  licenseUnreadable: '证照内容无法识别',
  contentNotHashable: '证照内容无法计算摘要',
  licenseIdPaddedBefore: '证照标识 licenseId 前有空白字符',
  licenseIdPaddedAfter: '证照标识 licenseId 后有空白字符',
  licenseIdPaddedAround: '证照标识 licenseId 前后有空白字符',
  licenseIdOtherForm: '证照标识 licenseId 的字母大小写或全角半角与证照不同',
  listedTwice: '平台重复列出该证照',
};

const UNREADABLE_ZH_BY_REASON: ReadonlyMap<string, string> = new Map(
  (Object.keys(UNREADABLE_REASONS) as UnreadableReasonCode[]).map((c) => [
    UNREADABLE_REASONS[c],
    UNREADABLE_ZH[c],
  ]),
);

/** An entry the platform holds that cannot be read back: why, and where it came in the listing. */
function unreadableText(u: NonNullable<Difference['unreadable']>, lang: ReportLang): string {
  if (lang === 'zh') {
    const why = UNREADABLE_ZH_BY_REASON.get(u.reason) ?? u.reason;
    return `无法读取（${u.position === undefined ? '' : `列表第 ${u.position} 条：`}${why}）`;
  }
  return `unreadable (${u.position === undefined ? '' : `listing entry ${u.position}: `}${u.reason})`;
}

/** licbridge's own state of a license in words, or that it holds none. */
export function ownView(d: ShownDifference, lang: ReportLang): string {
  if (d.outsideConfig)
    return lang === 'zh'
      ? '属于已不在配置中或不再推送到该平台的流水线'
      : 'held under a pipeline no longer in the config or no longer delivering here';
  if (!d.ledger) return lang === 'zh' ? '未生成' : 'not made';
  return lang === 'zh'
    ? `${statusLabel(d.ledger.status, lang)}（${version(d.ledger.version, lang)}）`
    : `${statusLabel(d.ledger.status, lang)} (${version(d.ledger.version, lang)})`;
}

/**
 * Source records that make a license, as the reports show them beside the records with errors: a
 * light check's total counts every source key, the quarantined ones too, so they are taken out
 * here (a full check counts only rows that map).
 */
export function sourceLicenses(r: ReconcileReport): number {
  const { total, quarantined } = r.counts.source;
  return r.mode === 'light' ? Math.max(0, total - quarantined) : total;
}

/** One row of the HTML report's area table: each side's count, and whether it is shown as a difference. */
export interface AreaRow {
  area: string;
  source: number;
  own: number;
  /** The gap is one the check's own differences can make (see {@link areaRows}). */
  flagged: boolean;
}

/**
 * The area table's rows (GB/T 2260 division codes), with the gaps a person must act on marked.
 * licbridge's side counts every license it holds, also those no source row stands behind by now
 * and that are no difference: deletions the `deletedAtSource` policy already answered (revoked or
 * cancelled, stored as sourceless) and ended licenses (revoked, cancelled, withdrawn) whose rows are
 * gone. Those only ever make licbridge's side larger. So a gap is marked only when a difference the
 * report counts can make it: licbridge's side larger with a license deleted at the source, unmappable
 * or changed in content (its area may have moved); the business system's larger with a missed one
 * or a changed one. A report without such differences marks no area, whatever the counts; the
 * reports carry no area per difference, so which of the areas with such a gap holds one is not known.
 */
export function areaRows(r: ReconcileReport): AreaRow[] {
  const source = r.counts.source.byArea ?? {};
  const own = r.counts.ledger.byArea ?? {};
  const k = r.byKind;
  const moved = k['content-mismatch'] > 0;
  const ownMore = moved || k['deleted-at-source'] > 0 || k.unmappable > 0;
  const sourceMore = moved || k.missed > 0;
  return [...new Set([...Object.keys(source), ...Object.keys(own)])].sort().map((area) => {
    const s = source[area] ?? 0;
    const l = own[area] ?? 0;
    return { area, source: s, own: l, flagged: (l > s && ownMore) || (s > l && sourceMore) };
  });
}

/** Whether a compared target has licenses awaiting delivery (awaiting-delivery.ts): no difference. */
export function awaitingDelivery(r: ReconcileReport): boolean {
  return Object.values(r.counts.targets).some((c) => !('unavailable' in c) && (c.awaitingDelivery ?? 0) > 0);
}

/** The targets the check could not ask: nothing is known of them, least of all that they agree. */
export function unreadTargets(r: ReconcileReport): string[] {
  return Object.entries(r.counts.targets)
    .filter(([, c]) => 'unavailable' in c)
    .map(([t]) => t);
}

/**
 * Differences a report explains at once: one kind, or its licenses held under a pipeline no longer
 * in the config or no longer delivering to this platform.
 */
export interface KindGroup {
  kind: (typeof DIFFERENCE_KINDS)[number];
  count: number;
  outsideConfig?: true;
}

/**
 * The kinds present, in the documented order, with `unknown-at-platform` licenses the ledger holds
 * under a pipeline no longer in the config or no longer delivering to this platform
 * (`outsideConfig`) in a group of their own after the others of that kind: licbridge has a record
 * of them, the others it has none of.
 */
export function presentGroups(r: ReconcileReport): KindGroup[] {
  const outside = (r.all ?? []).filter((d) => d.kind === 'unknown-at-platform' && d.outsideConfig).length;
  return presentKinds(r).flatMap(([kind, n]): KindGroup[] => {
    if (kind !== 'unknown-at-platform' || outside === 0) return [{ kind, count: n }];
    const held: KindGroup = { kind, count: Math.min(outside, n), outsideConfig: true };
    return n > outside ? [{ kind, count: n - outside }, held] : [held];
  });
}

/** Kinds present in the report, in the documented order, with their counts. */
export function presentKinds(r: ReconcileReport): [(typeof DIFFERENCE_KINDS)[number], number][] {
  return DIFFERENCE_KINDS.filter((k) => r.byKind[k] > 0).map((k) => [k, r.byKind[k]]);
}

const STATUS_ORDER = ['valid', 'suspended', 'revoked', 'cancelled', 'expired'];

/** Status counts in words, e.g. `有效 120，撤销 3`. */
export function statusCounts(byStatus: Record<string, number>, lang: ReportLang): string {
  // One order on every side, so two lines compare at a glance.
  const rank = (s: string) => {
    const i = STATUS_ORDER.indexOf(s);
    return i < 0 ? STATUS_ORDER.length : i;
  };
  const parts = Object.entries(byStatus)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([s, n]) => `${statusLabel(s, lang)} ${n}`);
  return parts.length === 0 ? '-' : parts.join(lang === 'zh' ? '，' : ', ');
}
