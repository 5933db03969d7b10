/**
 * The words of the reconcile report for the people who read it — a department head, a clerk — in
 * Chinese (the default) and English: what each kind of difference means in one plain sentence,
 * what to do about it and the exact command. No internal terms: the Chinese report must read
 * without knowing how licbridge is built (its test looks for them).
 */
import type { DifferenceKind } from './types.js';

export type ReportLang = 'zh' | 'en';

/** The repair policies a report's advice depends on (config `reconcile.*`). */
export interface ReportPolicies {
  deletedAtSource: 'revoke' | 'cancel' | 'flag';
  unknownAtPlatform: 'revoke' | 'flag';
}

/** How a report reads; build it from the config with `reportOptions` (settings.ts). */
export interface ReportOptions {
  /** @defaultValue `zh` */
  lang?: ReportLang;
  /** IANA zone of the times shown: `reconcile.timeZone`. */
  timeZone: string;
  /** `reconcile.deletedAtSource` and `reconcile.unknownAtPlatform`. */
  policies: ReportPolicies;
}

export const KIND_LABEL: Record<ReportLang, Record<DifferenceKind, string>> = {
  zh: {
    missed: '漏同步',
    'deleted-at-source': '业务记录已删除',
    'content-mismatch': '内容未更新',
    unmappable: '业务记录有误',
    'missing-at-platform': '平台未收到',
    'unknown-at-platform': '平台多出',
    'status-drift': '平台状态不一致',
    'platform-content-mismatch': '平台内容或版本不一致',
    'unreadable-at-platform': '平台记录无法读取',
  },
  en: {
    missed: 'not synced',
    'deleted-at-source': 'deleted in the business system',
    'content-mismatch': 'content out of date',
    unmappable: 'business record has errors',
    'missing-at-platform': 'not at the platform',
    'unknown-at-platform': 'only at the platform',
    'status-drift': 'status differs at the platform',
    'platform-content-mismatch': 'content or version differs at the platform',
    'unreadable-at-platform': 'unreadable at the platform',
  },
};

/**
 * `unknown-at-platform` licenses the ledger holds under a pipeline no longer in the config, or under
 * one whose targets no longer hold this platform (`outsideConfig`): licbridge has a record of them,
 * so they are labelled and explained apart.
 */
const OUTSIDE_CONFIG_LABEL: Record<ReportLang, string> = {
  zh: '平台多出（所属流水线已不在配置中或不再推送到该平台）',
  en: 'extra at the platform (held under a pipeline no longer in the config or no longer delivering here)',
};

/** The label of one difference, or of a group of them: its kind's, told apart for `outsideConfig`. */
export function differenceLabel(d: { kind: DifferenceKind; outsideConfig?: true }, lang: ReportLang): string {
  return d.outsideConfig ? OUTSIDE_CONFIG_LABEL[lang] : KIND_LABEL[lang][d.kind];
}

/**
 * What a group of differences means and what to do: the kind's advice, or for licenses held under
 * a pipeline no longer in the config (or no longer delivering here), that licbridge does hold them,
 * there, and no check compares them (a repair only flags them, whatever `reconcile.unknownAtPlatform` says).
 */
export function groupAdvice(
  g: { kind: DifferenceKind; outsideConfig?: true },
  pipeline: string,
  lang: ReportLang,
  policies: ReportPolicies,
): KindAdvice {
  if (!g.outsideConfig) return kindAdvice(g.kind, pipeline, lang, policies);
  return lang === 'zh'
    ? {
        meaning:
          '平台上有一张本单位的此类证照，本系统也有它的记录，但它属于配置文件中已没有的流水线（改名或删除；改名后证照按新名称重新签发，平台上同一证照就有两张），或属于推送目标中已没有该平台的流水线，没有任何核对会比对它。',
        todo: '请核实后在平台上处理旧证照，或把原流水线加回配置文件，或把该平台加回它的推送目标（它的核对会比对这些证照）；修复计划只会标记它，不会自动撤销。',
      }
    : {
        meaning:
          'The platform holds a license of this unit and type that licbridge holds under a pipeline no longer in the config (renamed or removed; a renamed pipeline issues its licenses again under new identifiers, so the platform holds each twice), or under one whose targets no longer hold this platform. No check compares it.',
        todo: 'Check it, then settle the old license at the platform, or put the old pipeline back in the config, or this platform back in its targets (its check then compares it); a repair plan only flags it, whatever reconcile.unknownAtPlatform says.',
      };
}

/**
 * Licenses whose latest version is not delivered to a platform yet (`awaitingDelivery`,
 * awaiting-delivery.ts): how many, beside the platform's count, and once what that means. They are
 * no difference and nothing to repair.
 */
export const AWAITING_DELIVERY: Record<
  ReportLang,
  { count: (n: number) => string; lead: string; note: string }
> = {
  zh: {
    count: (n) => `${n} 张待推送`,
    lead: '另有证照的最新版本待推送到平台，见下方说明。',
    note: '待推送：证照的最新版本还没有推送到平台（正在等待签章或推送，或推送失败后正在重试），推送任务或下一次同步会完成推送。这不算差异，无需修复；若长时间仍待推送，请用 licbridge status 查看积压。',
  },
  en: {
    count: (n) => `${n} awaiting delivery`,
    lead: "Some licenses' latest version is still awaiting delivery to a platform (see below).",
    note: 'awaiting delivery: licenses whose latest version is not delivered to the platform yet (waiting for its seal or its delivery, or a delivery retried after a failure); the queued delivery or the next run sends it. Not differences, nothing to repair; if they stay, see the backlog in licbridge status.',
  },
};

/**
 * Licenses whose validity ended since the last lifecycle tick, which the ledger holds `valid` until
 * the next tick expires them (`counts.source.awaitingTick`, source-side.ts): told once, apart from
 * the differences. No difference and nothing to repair.
 */
export const AWAITING_TICK: Record<ReportLang, (n: number) => string> = {
  zh: (n) =>
    `另有 ${n} 张证照的有效期已届满，本系统仍为有效，待今日的生命周期任务（lifecycle tick）标记为过期。这不算差异，无需修复。`,
  en: (n) =>
    `${n} more licenses' validity has ended since the last lifecycle tick: licbridge holds them valid until the next tick expires them. Not differences, nothing to repair.`,
};

/**
 * Source rows the stream leaves for their time, their cursor ahead of the source database's clock
 * (`counts.source.aheadOfClock`): told once, apart from the differences, with why and where to look.
 */
export const AHEAD_OF_CLOCK: Record<ReportLang, (n: number) => string> = {
  zh: (n) =>
    `另有 ${n} 条记录的更新时间晚于业务系统数据库的当前时间（如 9999-12-31 占位、年份录错），同步要等到该时间才读取：不算漏同步，修复也无法读取；请在业务系统中核对这些时间，见 licbridge status（source-ahead-of-clock）。`,
  en: (n) =>
    `${n} more rows wait with a cursor ahead of the source database's clock (a placeholder such as 9999-12-31, a mistyped year): no run reads them until their time comes, so they are not missed and a repair cannot read them; have the business system's times checked, see licbridge status (source-ahead-of-clock).`,
};

/**
 * Licenses whose row changed with its cursor moved ahead of the source database's clock
 * (`counts.source.changedAheadOfClock`): told once, apart from the differences, with why.
 */
export const CHANGED_AHEAD_OF_CLOCK: Record<ReportLang, (n: number) => string> = {
  zh: (n) =>
    `另有 ${n} 张证照的业务记录已变更，但其更新时间晚于业务系统数据库的当前时间（如 9999-12-31 占位、年份录错），同步要等到该时间才读取变更：修复也无法读取，证照暂保持原内容；请在业务系统中核对这些时间，见 licbridge status（source-ahead-of-clock）。`,
  en: (n) =>
    `${n} more licenses' rows changed with a cursor ahead of the source database's clock (a placeholder such as 9999-12-31, a mistyped year): no run reads the change until its time comes, and a repair cannot read it either, so the licenses keep their content meanwhile; have the business system's times checked, see licbridge status (source-ahead-of-clock).`,
};

/**
 * Stand-in keys of rows without a key, open on the worklist, that no row of the source gives any
 * more (`counts.source.standInsNotSeen`, stand-ins-gone.ts): told once, apart from the differences.
 * Keys, not records: a key read by more than one run holds a record of each, and the worklist one
 * entry. Never says why: the key may be filled in, or the row changed, moved ahead of the clock
 * or left the view while still without one (not the lag window: the key set reads keyless rows
 * without it, connectors/sql/keyless-rows.ts `allKeyless`). The check closes none; a person does,
 * having looked.
 */
export const STAND_INS_NOT_SEEN: Record<ReportLang, (n: number) => string> = {
  zh: (n) =>
    `另有 ${n} 个缺少主键记录的临时键仍在待处理清单中，但源数据中已没有记录给出（可能已补填主键，也可能该记录已改动、更新时间超前于数据库时钟或已不在视图中）。本检查不关闭它们：请在业务系统中核实，确认已补填主键且证照已生成的，以 licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING 关闭。这不算差异。`,
  en: (n) =>
    `${n} stand-in keys of rows without a key, open on the worklist, are given by no row of the source any more (the key may have been filled in, or the row changed, moved ahead of the database's clock or left the view while still without one). The check closes none: look in the business system, and close those whose key was filled in and license issued with licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING. Not differences.`,
};

/**
 * The stand-in keys behind STAND_INS_NOT_SEEN, as the report holds them (the first 100, sorted):
 * a person looks each up and closes it by hand. `more`: how many the report does not name.
 */
export const STAND_INS_NAMED: Record<ReportLang, (keys: readonly string[], more: number) => string> = {
  zh: (keys, more) => `未见的临时键：${keys.join('、')}${more > 0 ? `，另有 ${more} 个未列出` : ''}`,
  en: (keys, more) => `stand-in keys not seen: ${keys.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
};

const STATUS: Record<ReportLang, Record<string, string>> = {
  zh: { valid: '有效', suspended: '暂停', revoked: '撤销', cancelled: '注销', expired: '过期' },
  en: {
    valid: 'valid',
    suspended: 'suspended',
    revoked: 'revoked',
    cancelled: 'cancelled',
    expired: 'expired',
  },
};

/**
 * The source holds far fewer keys than the ledger has licenses (`sourceShrunk`): an emptied table
 * or a moved export folder looks like this, so every report says to check the source before the
 * deletion policy is applied to it — as `status` does (source-shrunk).
 */
export function shrunkNotice(
  s: { sourceKeys: number; ledgerLicenses: number; deleted: number },
  lang: ReportLang,
): string {
  return lang === 'zh'
    ? `注意：业务系统中只有 ${s.sourceKeys} 条记录，而本系统有 ${s.ledgerLicenses} 张证照（${s.deleted} 张的记录已不存在）。这通常是数据表被清空或导出文件被移走，请先检查业务系统，不要直接修复。`
    : `Note: the business system holds only ${s.sourceKeys} records against ${s.ledgerLicenses} licenses (${s.deleted} without their record). An emptied table or moved export folder looks like this: check the source before any repair.`;
}

export function statusLabel(status: string, lang: ReportLang): string {
  return STATUS[lang][status] ?? status;
}

export interface KindAdvice {
  /** What the difference means. */
  meaning: string;
  /** What to do. */
  todo: string;
  /** The command that does it, when one does. */
  command?: string;
}

/**
 * The rule of `reconcile.deletedAtSource` (classify.ts `awaitsDeletion`), said where deletions are
 * listed: a license already ended by an act is neither listed nor ended again.
 */
const ENDED_KEPT = {
  zh: '已撤销、注销或撤回的证照不在此列：它们保持原状，不按本策略再处理。',
  en: 'A license already revoked, cancelled or withdrawn is not listed: it keeps its ending, whatever the policy.',
};

/** One plain sentence per kind, with what to do and the command; policy-aware where a plan cannot act alone. */
export function kindAdvice(
  kind: DifferenceKind,
  pipeline: string,
  lang: ReportLang,
  policies: ReportPolicies,
): KindAdvice {
  const repair = `licbridge reconcile ${pipeline} --repair --yes`;
  const quarantine = `licbridge quarantine list --pipeline ${pipeline}`;
  const zh = lang === 'zh';
  switch (kind) {
    case 'missed':
      return zh
        ? {
            meaning: '业务系统中有这条记录，但还没有生成电子证照（同步时漏掉了）。',
            todo: '重新读取并补发：',
            command: repair,
          }
        : {
            meaning:
              'The business system holds this record, but no license was made from it (sync missed it).',
            todo: 'Read it again and issue it:',
            command: repair,
          };
    case 'deleted-at-source':
      if (policies.deletedAtSource === 'flag') {
        return zh
          ? {
              meaning: `电子证照已经签发，但业务系统中的原始记录已被删除；平台上的证照不会因此自动作废。${ENDED_KEPT.zh}`,
              todo: '先确认删除是否属实。若是误删，请在业务系统中恢复记录；若证照确应作废，请在配置文件中设置 reconcile.deletedAtSource: revoke（撤销）或 cancel（注销），然后运行：',
              command: repair,
            }
          : {
              meaning: `The license was issued, but its record was deleted in the business system; the license at the platform does not end by itself. ${ENDED_KEPT.en}`,
              todo: 'Check the deletion first. If it was a mistake, restore the record; if the license should end, set reconcile.deletedAtSource: revoke or cancel in the config file, then run:',
              command: repair,
            };
      }
      return zh
        ? {
            meaning: `电子证照已经签发，但业务系统中的原始记录已被删除。${ENDED_KEPT.zh}`,
            todo: `确认删除属实后，按配置（reconcile.deletedAtSource: ${policies.deletedAtSource}）${policies.deletedAtSource === 'revoke' ? '撤销' : '注销'}这些证照：`,
            command: repair,
          }
        : {
            meaning: `The license was issued, but its record was deleted in the business system. ${ENDED_KEPT.en}`,
            todo: `Once the deletion is confirmed, ${policies.deletedAtSource} these licenses as configured (reconcile.deletedAtSource):`,
            command: repair,
          };
    case 'content-mismatch':
      return zh
        ? {
            meaning: '业务系统中的记录已经修改，但电子证照仍是修改前的内容。',
            todo: '重新读取并签发新版本：',
            command: repair,
          }
        : {
            meaning:
              'The record was changed in the business system, but the license still shows the old content.',
            todo: 'Read it again and issue a new version:',
            command: repair,
          };
    case 'unmappable':
      return zh
        ? {
            meaning:
              '电子证照已经签发，但业务系统中的这条记录现在有错误，或证照版本号已达 999（证照标识的版本号只有三位），无法生成新的证照。',
            todo: '查看错误原因，在业务系统中改正：',
            command: quarantine,
          }
        : {
            meaning:
              'The license was issued, but its record now has errors, or the license has reached version 999 (the most its identifier numbers), and cannot make a license.',
            todo: 'See what is wrong and correct it in the business system:',
            command: quarantine,
          };
    case 'missing-at-platform':
      return zh
        ? { meaning: '电子证照已经签发，但平台上没有这张证照。', todo: '重新推送到平台：', command: repair }
        : {
            meaning: 'The license was issued, but the platform does not hold it.',
            todo: 'Send it to the platform again:',
            command: repair,
          };
    case 'unknown-at-platform':
      if (policies.unknownAtPlatform === 'flag') {
        return zh
          ? {
              meaning: '平台上有一张本单位的此类证照，但本系统没有它的记录（可能由其他系统上报）。',
              todo: '请核实这张证照的来历。若确应撤销，请在配置文件中设置 reconcile.unknownAtPlatform: revoke，然后运行：',
              command: repair,
            }
          : {
              meaning:
                'The platform holds a license of this unit and type that licbridge has no record of (perhaps sent by another system).',
              todo: 'Find out where it came from. If it should be revoked, set reconcile.unknownAtPlatform: revoke in the config file, then run:',
              command: repair,
            };
      }
      return zh
        ? {
            meaning: '平台上有一张本单位的此类证照，但本系统没有它的记录。',
            todo: '按配置撤销这张证照：',
            command: repair,
          }
        : {
            meaning: 'The platform holds a license of this unit and type that licbridge has no record of.',
            todo: 'Revoke it as configured:',
            command: repair,
          };
    case 'status-drift':
      return zh
        ? {
            meaning: '平台上的证照状态与业务系统不同（例如业务系统已撤销，平台上仍显示有效）。',
            todo: '重新推送最新状态：',
            command: repair,
          }
        : {
            meaning:
              'The platform shows a different status than the business system (for example revoked here, still valid there).',
            todo: 'Send the latest status again:',
            command: repair,
          };
    case 'platform-content-mismatch':
      return zh
        ? {
            meaning:
              '平台上的证照状态相同，但内容或版本号与本系统的最新版本不同：内容不同，或内容相同而平台保存的是另一个版本（例如暂停后恢复有效的新版本，内容与暂停前的版本相同）。',
            todo: '重新推送最新版本（平台保存的版本比本系统的更新时，修复计划只作标记，请与平台方核实）：',
            command: repair,
          }
        : {
            meaning:
              'The platform shows the same status, but other content or another version than the latest version: the content differs, or it is the same and the platform holds another version (a license valid again after a suspension repeats the content of the version before it).',
            todo: 'Send the latest version again (where the platform holds a later version than licbridge, a repair plan only flags it: check it with the platform):',
            command: repair,
          };
    case 'unreadable-at-platform':
      return zh
        ? {
            meaning:
              '平台上有一条记录无法读取为证照（缺少证照标识或版本号，或内容无法识别），因此无法核对；它可能是在平台上被修改或由其他系统上报的。',
            todo: '请按报告中的证照标识或列表位置，与平台方核实这条记录；修复计划只会标记它，不会自动处理。',
          }
        : {
            meaning:
              'The platform holds an entry that cannot be read back into a license (no license id or version number, or content that cannot be read), so it cannot be compared; it was changed at the platform or sent by another system.',
            todo: 'Check the entry with the platform, by the license id or listing position the report gives; a repair plan only flags it.',
          };
  }
}
