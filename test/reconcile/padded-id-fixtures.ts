/**
 * The two sides of a platform check for the tests of padded license ids (platform-padded-id,
 * platform-trailing-space-id, platform-padded-lookup): an issuer's license ids numbered by `n`, the
 * ledger holding some of them delivered and accepted, and a platform listing entries in byte order
 * of their ids or answering a lookup. Each file gives its own serial stem, so ids never meet.
 */
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import type { Difference } from '../../pipelines/reconcile/types.js';

const TYPE = '11370200MB12345674001';

/** The ledger's side of pipeline `p` holding `rows`, given in order of license id. */
function ledgerOf(rows: LedgerLicenseAtTarget[]): Ledger {
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return rows.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async licensesAtTargetByIds(_p: string, _t: string, asked: readonly string[]) {
      return rows.filter((r) => asked.includes(r.licenseId));
    },
    async pipelinesOfLicenses(asked: readonly string[]) {
      return new Map(rows.filter((r) => asked.includes(r.licenseId)).map((r) => [r.licenseId, 'p']));
    },
  } as unknown as Ledger;
}

export function paddedIdFixtures(stem: string) {
  const ids = identifierBuilder(TYPE, '11370211MB12345672');
  /** Another issuer's ids, of the same license type. */
  const others = identifierBuilder(TYPE, '11370211MB1234567X');
  const PREFIX = ids.licenseId('X').slice(0, -1);
  const serial = (n: number) => `${stem}${n}`;
  const id = (n: number) => ids.licenseId(serial(n));

  /** The platform's entry of license `n` in version 1, under `licenseId` as it names it. */
  const held = (n: number, licenseId = id(n)): PlatformRecord => ({
    licenseId,
    identifier: ids.identifier(serial(n), 1),
    version: 1,
    status: 'valid',
    platformId: `P${n}`,
    contentHash: `hash-${n}`,
  });

  const atLedger = (n: number): LedgerLicenseAtTarget => ({
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: `hash-${n}`,
    status: 'valid',
    deliveryKey: `${id(n)}:1:province`,
    deliveryState: 'accepted',
  });

  /** The ledger's side of pipeline `p`: the licenses of `ns`, delivered and accepted. */
  const ledgerHolding = (ns: number[]): Ledger =>
    ledgerOf(ns.map(atLedger).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1)));

  /** The ledger holding licenses 0 and 1 in version 1, license 2 as `two` has it; all delivered, accepted. */
  const ledgerWith = (two: Partial<LedgerLicenseAtTarget>): Ledger =>
    ledgerOf([atLedger(0), atLedger(1), { ...atLedger(2), ...two }]);

  /** A platform listing `records` in byte order of their ids, as listed. */
  const listing = (records: PlatformRecord[]): TargetAdapter => {
    const sorted = [...records].sort((a, b) =>
      Buffer.compare(Buffer.from(a.licenseId), Buffer.from(b.licenseId)),
    );
    return {
      name: 'province',
      async *list() {
        yield sorted;
      },
    } as unknown as TargetAdapter;
  };

  /** The check of a ledger holding `ledgerNs` against a platform listing `records`. */
  const check = (ledgerNs: number[], records: PlatformRecord[]) =>
    checkPlatform({
      ledger: ledgerHolding(ledgerNs),
      pipeline: 'p',
      adapter: listing(records),
      licensePrefix: PREFIX,
      pageSize: 100,
    });

  return { ids, others, PREFIX, serial, id, held, atLedger, ledgerHolding, ledgerWith, listing, check };
}

/** Each difference as its kind, license id and the ledger's version id (null when none). */
export const shown = (differences: Difference[]) =>
  differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null]);

/** The repair plan under `unknownAtPlatform: revoke`: each license id with its action. */
export const planned = (differences: Difference[]) =>
  planRepairs(
    { config: { reconcile: { unknownAtPlatform: 'revoke' } } } as never,
    { all: differences, reportId: 'r', pipeline: 'p' } as never,
  ).items.map((i) => [i.action, i.difference.licenseId]);
