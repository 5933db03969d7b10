/**
 * The terminal summary of a reconciliation and of a repair plan, in Chinese by default or English:
 * counts, then each kind of difference with what it means, what to do and the command, then the
 * first licenses by number and holder. Internal details (bucket counts) stay in `--json`.
 */
import { maskNumberShapes } from '../../catalog/personal.js';
import { terminalLine } from '../../core/terminal-text.js';
import { missedLicenseIds } from './classify.js';
import { localTime, zoneLabel } from './local-time.js';
import { leftOut, leftOutLabel, leftOutLead } from './not-compared.js';
import type { RepairPlan } from './repair.js';
import {
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
import type { Difference, ReconcileReport } from './types.js';

/** Differing licenses the terminal report lists; the rest are counted. */
const LICENSES_SHOWN = 20;
/** Items of a repair plan the terminal lists; the rest are counted, as every action is above them. */
const PLAN_ITEMS_SHOWN = 50;

/** A platform's statuses in brackets, or nothing for a platform holding no license (not `（-）`). */
const held = (total: number, statuses: string): string => (total === 0 ? '' : statuses);

export function textReport(r: ReconcileReport, options: ReportOptions): string {
  const lang = options.lang ?? 'zh';
  const zone = options.timeZone;
  const policies = options.policies;
  const zh = lang === 'zh';
  const lines: string[] = [];
  const when = `${localTime(r.finishedAt, zone)} ${zoneLabel(zone, lang)}`;
  lines.push(
    zh
      ? `数据核对 ${r.pipeline}（${r.mode === 'full' ? '完整核对' : '快速核对'}，${when}）报告 ${r.reportId}`
      : `reconcile ${r.pipeline} (${r.mode === 'full' ? 'full check' : 'light check'}, ${when}) report ${r.reportId}`,
  );
  lines.push(
    zh
      ? `  业务系统：${sourceLicenses(r)} 条可生成证照（${statusCounts(r.counts.source.byStatus, lang)}），${r.counts.source.quarantined} 条有错误`
      : `  source: ${sourceLicenses(r)} licenses (${statusCounts(r.counts.source.byStatus, lang)}), ${r.counts.source.quarantined} rows that do not map`,
  );
  const untilTick = r.counts.source.awaitingTick ?? 0;
  if (untilTick > 0) lines.push(`  ${AWAITING_TICK[lang](untilTick)}`);
  const ahead = r.counts.source.aheadOfClock ?? 0;
  if (ahead > 0) lines.push(`  ${AHEAD_OF_CLOCK[lang](ahead)}`);
  const changedAhead = r.counts.source.changedAheadOfClock ?? 0;
  if (changedAhead > 0) lines.push(`  ${CHANGED_AHEAD_OF_CLOCK[lang](changedAhead)}`);
  const standIns = r.counts.source.standInsNotSeen ?? 0;
  if (standIns > 0) lines.push(`  ${STAND_INS_NOT_SEEN[lang](standIns)}`);
  // Masked by shape and on one line each: a file's name may be an ID number, or hold a newline.
  const named = (r.standInsNotSeen ?? []).map((k) => terminalLine(shownStandIn(k)));
  if (named.length > 0) lines.push(`  ${STAND_INS_NAMED[lang](named, standIns - named.length)}`);
  lines.push(
    zh
      ? `  本系统：${r.counts.ledger.total} 张证照（${statusCounts(r.counts.ledger.byStatus, lang)}）`
      : `  ledger: ${r.counts.ledger.total} licenses (${statusCounts(r.counts.ledger.byStatus, lang)})`,
  );
  // Per area (division code): absent in a light check, which reads no payloads.
  for (const side of ['source', 'ledger'] as const) {
    const byArea = r.counts[side].byArea ?? {};
    if (Object.keys(byArea).length === 0) continue;
    const label = zh ? (side === 'source' ? '业务系统按区划：' : '本系统按区划：') : `${side} by area: `;
    lines.push(`  ${label}${statusCounts(sorted(byArea), 'en')}`);
  }
  for (const [t, c] of Object.entries(r.counts.targets)) {
    lines.push(
      leftOut(c)
        ? `  ${zh ? `平台 ${t}：` : `${t}: `}${leftOutLabel(r.pipeline, lang)}`
        : 'unavailable' in c
          ? zh
            ? `  平台 ${t}：无法查询：${c.unavailable}`
            : `  ${t}: unavailable: ${c.unavailable}`
          : zh
            ? `  平台 ${t}：${c.total} 张证照${held(c.total, `（${statusCounts(c.byStatus, lang)}）`)}${c.awaitingDelivery ? `，${AWAITING_DELIVERY.zh.count(c.awaitingDelivery)}` : ''}`
            : `  ${t}: ${c.total} licenses${held(c.total, ` (${statusCounts(c.byStatus, lang)})`)}${c.awaitingDelivery ? `, ${AWAITING_DELIVERY.en.count(c.awaitingDelivery)}` : ''}`,
    );
  }
  if (awaitingDelivery(r)) lines.push(`  ${AWAITING_DELIVERY[lang].note}`);
  // Far fewer source keys than licenses: said before any advice to apply the deletion policy.
  if (r.sourceShrunk) lines.push(`  ${shrunkNotice(r.sourceShrunk, lang)}`);
  if (r.differences === 0) {
    // A target `--target` left out could have been asked: said as the HTML report says it.
    const unread = unreadTargets(r);
    const cannot = unread.filter((t) => !leftOut(r.counts.targets[t]));
    const notAsked = unread.filter((t) => leftOut(r.counts.targets[t]));
    if (cannot.length > 0)
      lines.push(
        zh
          ? `  没有发现差异，但平台 ${cannot.join('、')} 无法查询，未核对`
          : `  no differences found, but ${cannot.join(', ')} could not be asked and was not compared`,
      );
    if (notAsked.length > 0) lines.push(`  ${leftOutLead(notAsked.join(zh ? '、' : ', '), lang)}`);
    if (unread.length === 0) lines.push(zh ? '  没有差异' : '  no differences');
    return `${lines.join('\n')}\n`;
  }
  lines.push(zh ? `  发现 ${r.differences} 处差异：` : `  ${r.differences} differences:`);
  for (const g of presentGroups(r)) {
    const a = groupAdvice(g, r.pipeline, lang, policies);
    lines.push(
      zh ? `    ${differenceLabel(g, lang)}：${g.count}` : `    ${differenceLabel(g, lang)}: ${g.count}`,
    );
    lines.push(`      ${a.meaning}`);
    lines.push(`      ${a.todo}${a.command ? ` ${a.command}` : ''}`);
  }
  lines.push(zh ? '  前几张有差异的证照：' : '  first differing licenses:');
  const shown = r.sample.slice(0, LICENSES_SHOWN);
  for (const d of shown) {
    const who = [d.number, d.holderName, d.holderId].filter(Boolean).join(' ');
    const platform = platformViews(r, d, lang)
      .map((v) => `${v.target} ${v.text}`)
      .join('; ');
    lines.push(
      `    ${differenceLabel(d, lang)}  ${zh ? '业务编号' : 'key'} ${d.sourceKey ?? '-'}${who ? `  ${who}` : ''}  ${zh ? '本系统' : 'licbridge'} ${ownView(d, lang)}${platform ? `  ${zh ? '平台' : 'platform'} ${platform}` : ''}`,
    );
  }
  // Cut lists say what they left out, as the CLI's others do (`and N more`): twenty licenses under
  // "first differing licenses" read as all of them when nothing followed.
  const rest = r.differences - shown.length;
  if (rest > 0) {
    const more = r.sample.length > shown.length;
    lines.push(
      zh
        ? `    另有 ${rest} 处差异未在此列出${more ? `（--html 报告列出前 ${r.sample.length} 处）` : ''}`
        : `    and ${rest} more not listed here${more ? ` (--html lists the first ${r.sample.length})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const ACTION_LABEL: Record<ReportLang, Record<string, string>> = {
  zh: {
    're-read': '重新读取',
    revoke: '撤销',
    cancel: '注销',
    'adopt-revoke': '收录并撤销',
    're-deliver': '重新推送',
    flag: '仅标记',
  },
  en: {
    're-read': 're-read',
    revoke: 'revoke',
    cancel: 'cancel',
    'adopt-revoke': 'adopt-revoke',
    're-deliver': 're-deliver',
    flag: 'flag',
  },
};

/**
 * The plan, and for what it only flags, the policy or command that would fix it: a plan cannot
 * revoke a deletion under `deletedAtSource: flag`, nor correct a record that no longer maps.
 */
export function textPlan(plan: RepairPlan, options: Pick<ReportOptions, 'lang'> = {}): string {
  const lang = options.lang ?? 'zh';
  const zh = lang === 'zh';
  const lines = [
    zh
      ? `${plan.pipeline} 的修复计划（报告 ${plan.reportId}）：`
      : `repair plan for ${plan.pipeline} (report ${plan.reportId}):`,
  ];
  for (const [action, n] of Object.entries(plan.byAction))
    if (n > 0) lines.push(`  ${(ACTION_LABEL[lang][action] ?? action).padEnd(14)} ${n}`);
  for (const i of plan.items.slice(0, PLAN_ITEMS_SHOWN)) {
    lines.push(
      `    ${(ACTION_LABEL[lang][i.action] ?? i.action).padEnd(14)} ${differenceLabel(i.difference, lang)}  ${i.difference.sourceKey === null ? platformEntry(i.difference, lang) : maskNumberShapes(i.difference.sourceKey)}${planTargets(i)}`,
    );
  }
  const rest = plan.items.length - PLAN_ITEMS_SHOWN;
  // The counts per action above hold every item; the lines, the first fifty, say they are not all.
  if (rest > 0) lines.push(zh ? `    另有 ${rest} 项未列出` : `    and ${rest} more items not listed`);
  if (plan.items.length === 0) lines.push(zh ? '  没有需要修复的' : '  nothing to repair');
  lines.push(...planHints(plan, lang));
  return `${lines.join('\n')}\n`;
}

/** The targets a plan line is about: the difference's, or every target an adoption answers. */
function planTargets(i: RepairPlan['items'][number]): string {
  const targets = i.targets ?? (i.difference.target ? [i.difference.target] : []);
  return targets.length > 0 ? ` @${targets.join(', ')}` : '';
}

/** A platform-side entry in a plan line: its license id, or its place in the listing when it names none. */
function platformEntry(d: Difference, lang: ReportLang): string {
  if (d.licenseId !== '') return d.licenseId;
  const at = d.unreadable?.position;
  if (at === undefined) return '-';
  return lang === 'zh' ? `列表第 ${at} 条` : `listing entry ${at}`;
}

/** What fixes the differences a plan only flags, one line per kind. */
export function planHints(plan: RepairPlan, lang: ReportLang): string[] {
  const flagged = new Map<string, number>();
  // Held by the ledger under a pipeline not in the config or no longer delivering to this platform,
  // or the license of a row the check found missed: flagged whatever the policy, told apart.
  let outside = 0;
  let ofMissed = 0;
  let ofQuarantined = 0;
  const missed = missedLicenseIds(plan.items.map((i) => i.difference));
  // A license only the platforms hold is a difference at each target holding it: told of once, as
  // its adoption is planned once. One the platform names no id for is counted as listed.
  const seen = new Set<string>();
  for (const i of plan.items) {
    if (i.action !== 'flag') continue;
    const id = i.difference.licenseId;
    if (i.difference.kind === 'unknown-at-platform' && id !== '') {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    if (i.difference.outsideConfig) outside += 1;
    else if (i.difference.kind === 'unknown-at-platform' && missed.has(id)) ofMissed += 1;
    else if (i.difference.ofQuarantinedRow) ofQuarantined += 1;
    else flagged.set(i.difference.kind, (flagged.get(i.difference.kind) ?? 0) + 1);
  }
  const zh = lang === 'zh';
  const out: string[] = [];
  const deleted = flagged.get('deleted-at-source');
  if (deleted) {
    out.push(
      zh
        ? `  ${deleted} 张证照的业务记录已删除，计划只作标记，因为 reconcile.deletedAtSource 是 flag。确认删除属实后，在配置文件中设置 reconcile.deletedAtSource: revoke（撤销）或 cancel（注销），再运行 licbridge reconcile ${plan.pipeline} --repair --yes；若是误删，请在业务系统中恢复记录。`
        : `  ${deleted} licenses whose record was deleted are only flagged, because reconcile.deletedAtSource is flag. Once the deletion is confirmed, set reconcile.deletedAtSource: revoke or cancel in the config file and run licbridge reconcile ${plan.pipeline} --repair --yes; if it was a mistake, restore the record in the business system.`,
    );
  }
  const unknown = flagged.get('unknown-at-platform');
  if (unknown) {
    out.push(
      zh
        ? `  平台上有 ${unknown} 张本系统没有记录的证照，计划只作标记，因为 reconcile.unknownAtPlatform 是 flag。核实后如需撤销，设置 reconcile.unknownAtPlatform: revoke，再运行 licbridge reconcile ${plan.pipeline} --repair --yes。`
        : `  ${unknown} licenses only the platform holds are only flagged, because reconcile.unknownAtPlatform is flag. To revoke them once checked, set reconcile.unknownAtPlatform: revoke and run licbridge reconcile ${plan.pipeline} --repair --yes.`,
    );
  }
  if (ofMissed) {
    out.push(
      zh
        ? `  平台上有 ${ofMissed} 张证照对应的业务记录本系统漏读了（本系统没有这些证照，例如数据库是从较早的备份恢复的），计划只作标记，不会撤销：重新读取会按业务记录重新生成这些证照，下次核对再与平台比较。`
        : `  ${ofMissed} licenses the platform holds are those of source records licbridge missed (the ledger lacks them, restored from an older copy, say), and are only flagged, never revoked: the re-read issues them again from their records, and the next check compares them with the platform.`,
    );
  }
  if (ofQuarantined) {
    out.push(
      zh
        ? `  平台上有 ${ofQuarantined} 张证照对应的业务记录无法生成证照（在隔离清单中，本系统没有这些证照），计划只作标记，不会撤销：业务记录还在。请按 licbridge quarantine list --pipeline ${plan.pipeline} 改正记录，下次运行会重新生成这些证照。`
        : `  ${ofQuarantined} licenses the platform holds are those of source records that do not map (on the quarantine list; licbridge holds no license for them), and are only flagged, never revoked: the records are still in the business system. Correct them as licbridge quarantine list --pipeline ${plan.pipeline} says; the next run issues the licenses again.`,
    );
  }
  if (outside) {
    out.push(
      zh
        ? `  平台上有 ${outside} 张证照在本系统中属于配置文件里已没有的流水线（改名或删除；改名后证照按新名称重新签发，平台上同一证照就有两张），或属于推送目标中已没有该平台的流水线，没有任何核对会比对它们，计划只作标记。请核实后在平台上处理旧证照，或把原流水线加回配置文件，或把该平台加回它的推送目标。`
        : `  ${outside} licenses the platform holds belong in licbridge to a pipeline no longer in the config (renamed or removed; a renamed pipeline issues its licenses again under new identifiers, so the platform holds each twice), or to one whose targets no longer hold this platform. No check compares them, so they are only flagged: check them and settle the old licenses at the platform, or put the old pipeline back in the config, or the platform back in its targets.`,
    );
  }
  // A platform ahead of the ledger (a version licbridge never sent, or a ledger restored from an
  // older copy) is flagged too, but nothing there was altered: it is told of apart.
  const ahead = plan.items.filter((i) => i.action === 'flag' && platformAhead(i.difference)).length;
  const altered =
    (flagged.get('status-drift') ?? 0) + (flagged.get('platform-content-mismatch') ?? 0) - ahead;
  if (ahead) {
    out.push(
      zh
        ? `  平台上有 ${ahead} 张证照的版本比本系统的最新版本还新，计划只作标记：这些版本不是本系统推送的（可能由其他系统上报，或本系统的数据库是从较早的备份恢复的）。请与平台方核实。`
        : `  ${ahead} licenses are held at the platform in a later version than licbridge's latest, and are only flagged: licbridge never sent those versions (another system sent them, or the ledger was restored from an older copy). Check them with the platform.`,
    );
  }
  if (altered) {
    out.push(
      zh
        ? `  平台已有 ${altered} 张证照的最新版本，但状态或内容与本系统不同，计划只作标记：以同一投递键重发会被平台当作重复而不改变任何内容。请联系平台核实其记录被改动的原因。`
        : `  ${altered} licenses whose latest version the platform holds show another status or content there, and are only flagged: sent again under the same delivery key they would be answered as duplicates and change nothing. Ask the platform why its record was changed.`,
    );
  }
  const unreadable = flagged.get('unreadable-at-platform');
  if (unreadable) {
    out.push(
      zh
        ? `  平台上有 ${unreadable} 条记录无法读取为证照，计划只作标记：请按证照标识或列表位置与平台方核实。`
        : `  ${unreadable} platform entries that cannot be read back into a license are only flagged: check them with the platform by license id or listing position.`,
    );
  }
  const unmappable = flagged.get('unmappable');
  if (unmappable) {
    out.push(
      zh
        ? `  ${unmappable} 张证照的业务记录现在有错误，无法自动修复：用 licbridge quarantine list --pipeline ${plan.pipeline} 查看原因，在业务系统中改正。`
        : `  ${unmappable} licenses whose record now has errors cannot be repaired here: see licbridge quarantine list --pipeline ${plan.pipeline} and correct them in the business system.`,
    );
  }
  return out;
}

/** The platform holds a later version of the license than the ledger's latest. */
function platformAhead(d: Difference): boolean {
  return (
    (d.kind === 'status-drift' || d.kind === 'platform-content-mismatch') &&
    d.platform !== null &&
    d.ledger !== null &&
    d.platform.version > d.ledger.version
  );
}

/** True when applying the plan would change something (not only flags). */
export function planActs(plan: RepairPlan): boolean {
  return plan.items.some((i) => i.action !== 'flag');
}
