/**
 * One send whose deliveries failed for different reasons: a license refused as too large even
 * alone, two the platform answered without a result, one a front database refused for its values.
 * Each delivery keeps its own error (`last_error`, what `dlq show` and `status` print) and its
 * `deliver-attempt` entry its own reason code; the two that share a failure share one entry (one
 * per target and attempt number, as a failed send's acts do). Both ledgers.
 */
import { describe, expect, it } from 'vitest';
import { keyOutcome } from '../../adapters/platforms/shared/key-results.js';
import { tooLargeAlone } from '../../adapters/platforms/shared/request-bytes.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { sm3Hex } from '../../catalog/sm3.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, withLedger } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const SEAL = 'seal-mixed-failures';
const PIPELINE = 'mixed-failures';

/** The reason code each position of the batch fails with. */
const KINDS = ['request-too-large', 'no-result', 'other', 'no-result'] as const;

/** A province platform answering the items of a send, by position, as KINDS says. */
function mixedFailures(): TargetAdapter & { kindOf: Map<string, string> } {
  const kindOf = new Map<string, string>();
  const answer = (item: DeliveryItem, n: number): DeliveryOutcome => {
    const kind = KINDS[n % KINDS.length] as string;
    kindOf.set(item.key, kind);
    if (kind === 'request-too-large')
      return tooLargeAlone(
        'province',
        item,
        3_000_000,
        new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target province: HTTP 413'),
        true,
      );
    if (kind === 'no-result') return keyOutcome(item.key, [], 'service');
    // As front-db/write-batch.ts words a row refused for its values.
    return {
      key: item.key,
      state: 'failed',
      retryable: true,
      reasons: ['exchange table EXCH_LICENSE refused the row (column ZZBH, 23502)'],
      failure: 'other',
    };
  };
  return {
    name: 'province',
    kind: 'rest-json',
    kindOf,
    deliver: async (items: DeliveryItem[]) => items.map(answer),
    close: async () => undefined,
  };
}

describe.each(BACKENDS)('a send whose deliveries failed for different reasons ($name)', (backend) => {
  it('keeps each delivery its own error and reason code, one entry per distinct failure', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 4, { pipeline: PIPELINE }));
      const before = (await ledger.readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
      const target = mixedFailures();

      await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({
        code: ErrorCodes.TARGET_UNREACHABLE,
      });
      const rows = await ledger.getDeliveries(
        (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key),
      );
      expect(target.kindOf.size).toBe(4);
      const words: Record<string, string> = {
        'request-too-large': 'refused as too large',
        'no-result': 'without a result',
        other: 'refused the row',
      };
      for (const row of rows) {
        expect(row).toMatchObject({ state: 'pending', attempts: 1 });
        expect(row.lastError).toContain(words[target.kindOf.get(row.key) as string]);
      }

      const attempts = (await ledger.readAudit({ afterSeq: before, limit: 1000 })).filter(
        (e) => e.action === 'deliver-attempt',
      );
      const byReason = new Map<string, AuditEntry>(attempts.map((e) => [JSON.parse(e.detail).reason, e]));
      expect(attempts).toHaveLength(3);
      expect([...byReason.keys()].sort()).toEqual(['no-result', 'other', 'request-too-large']);
      for (const row of rows) {
        const kind = target.kindOf.get(row.key) as string;
        const entry = byReason.get(kind) as AuditEntry;
        const detail = JSON.parse(entry.detail);
        expect(detail).toMatchObject({ attempt: 1, step: 'send', errorSm3: sm3Hex(row.lastError as string) });
        if (kind === 'no-result') expect(detail).toMatchObject({ count: 2 });
        else expect(entry).toMatchObject({ licenseId: row.licenseId, version: row.version });
      }
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });
});
