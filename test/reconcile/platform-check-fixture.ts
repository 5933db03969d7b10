/**
 * The platform side of a check (pipelines/reconcile/platform-side.ts) over a ledger and a province
 * made up in memory: licenses numbered 1, 2, … of the demo's type and issuer, as the ledger holds
 * them at the province and as the province reads them back, walked and listed in pages of two.
 */
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { UnreadableReason } from '../../adapters/platforms/unreadable-reasons.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';

export const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
export const HASH = 'a'.repeat(64);
export const id = (n: number) => `${PREFIX}K4Y975IEPO1UZ9OZS7V${n}`;

/** License `n` as the ledger holds it at the province: version 1, valid, accepted there, unless `at` says otherwise. */
export function atLedger(
  n: number,
  at: { version?: number; deliveryState?: string | null; status?: string } = {},
): LedgerLicenseAtTarget {
  const version = at.version ?? 1;
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version,
    versionId: 100 + n,
    contentHash: HASH,
    status: (at.status ?? 'valid') as LedgerLicenseAtTarget['status'],
    deliveryKey: `${id(n)}:${version}:province`,
    deliveryState: at.deliveryState === undefined ? 'accepted' : at.deliveryState,
  };
}

/** License `n` as the province reads it back: version 1, valid, with the ledger's content hash unless `at` says otherwise (`contentHash: undefined`, none echoed). */
export function held(
  n: number,
  at: { version?: number; status?: string; contentHash?: string } = {},
): PlatformRecord {
  const version = at.version ?? 1;
  const contentHash = 'contentHash' in at ? at.contentHash : HASH;
  return {
    licenseId: id(n),
    identifier: `${id(n)}.${version}`,
    version,
    status: (at.status ?? 'valid') as PlatformRecord['status'],
    platformId: `P${n}`,
    ...(contentHash === undefined ? {} : { contentHash }),
  };
}

/** An entry the province lists for license `n`, at listing position `position`, that cannot be read back for `reason`. */
export function unreadableEntry(
  n: number,
  position: number,
  reason: UnreadableReason,
  namedByContent: boolean,
): PlatformRecord {
  return {
    licenseId: id(n),
    identifier: '',
    version: 0,
    status: '' as PlatformRecord['status'],
    platformId: null,
    unreadable: { reason, position, ...(namedByContent ? { namedByContent: true as const } : {}) },
  };
}

/**
 * A ledger whose walk gives `walked` and whose look-ups find `committed` too (licenses committed
 * once the walk was done), all of them licenses of `pipeline` ('food'; null: of no pipeline).
 */
export function ledgerOf(
  walked: readonly LedgerLicenseAtTarget[],
  {
    committed = [],
    pipeline = 'food',
  }: { committed?: readonly LedgerLicenseAtTarget[]; pipeline?: string | null } = {},
): Ledger {
  const all = [...walked, ...committed];
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return walked.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async licensesAtTargetByIds(_p: string, _t: string, ids: readonly string[]) {
      return all.filter((r) => ids.includes(r.licenseId));
    },
    async pipelinesOfLicenses(ids: readonly string[]) {
      if (pipeline === null) return new Map<string, string>();
      return new Map(all.filter((r) => ids.includes(r.licenseId)).map((r) => [r.licenseId, pipeline]));
    },
  } as unknown as Ledger;
}

/** The province listing `pages`. */
export function listing(pages: readonly PlatformRecord[][]): TargetAdapter {
  return {
    name: 'province',
    async *list() {
      yield* pages;
    },
  } as unknown as TargetAdapter;
}

/** The two ways a check reads a province holding `records`, for `describe.each`: its listing and its look-up. */
export function platformReads(records: readonly PlatformRecord[]): [string, TargetAdapter][] {
  const lookup = {
    name: 'province',
    async lookup(ids: readonly string[]) {
      return records.filter((p) => ids.includes(p.licenseId));
    },
  } as unknown as TargetAdapter;
  return [
    ['listing', listing([[...records]])],
    ['look-up', lookup],
  ];
}

/** The check of `pipeline` ('food') in `ledger` against `adapter`, in pages of `pageSize` (2). */
export function checkAgainst(
  ledger: Ledger,
  adapter: TargetAdapter,
  { pipeline = 'food', pageSize = 2 }: { pipeline?: string; pageSize?: number } = {},
) {
  return checkPlatform({ ledger, pipeline, adapter, licensePrefix: PREFIX, pageSize });
}
