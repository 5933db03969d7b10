/**
 * A failed delivery attempt is an act the district must be able to show (the platform refused or
 * timed out, and licbridge tried): it is recorded in the chain in the transaction that counts it
 * on the deliveries (ledger/deliveries.ts `recordDeliveryAttempt`), as one `deliver-attempt` entry
 * per target and attempt number naming its deliveries, a short reason code and the SM3 of the
 * error text, never the text itself: a platform's answer may quote a holder. Both ledgers.
 */
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import {
  errorFromOversize,
  errorFromStatus,
  errorFromTransport,
} from '../../adapters/platforms/shared/http-failure.js';
import { keyOutcome } from '../../adapters/platforms/shared/key-results.js';
import type { DeliveryItem, TargetAdapter } from '../../adapters/platforms/target.js';
import { sm3Hex } from '../../catalog/sm3.js';
import { ErrorCodes } from '../../core/errors.js';
import type { AttemptFailure } from '../../ledger/audit-attempts.js';
import { batchDigest } from '../../ledger/audit-batch.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, withLedger } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { exchangeRow, refusingExchange, writeExchangeRows } from '../platforms/front-db-refusing-exchange.js';

const SEAL = 'seal-attempts';
const PIPELINE = 'attempts';
const ORIGIN = 'https://province.invalid:8443';

/** A province platform that answers the first send HTTP 500, every later one by accepting. */
function failingOnce(): TargetAdapter & { sends: number } {
  const target = {
    name: 'province',
    sends: 0,
    deliver: async (items: DeliveryItem[]) => {
      target.sends += 1;
      if (target.sends === 1)
        throw errorFromStatus(500, '{"reason":"DB_DOWN","message":"经营者1 已存在"}', undefined, {
          target: 'province',
          origin: ORIGIN,
          now: Date.now(),
        });
      return items.map((i) => ({ key: i.key, state: 'accepted' as const, platformId: `p-${i.version}` }));
    },
  };
  return target as unknown as TargetAdapter & { sends: number };
}

/** A province platform whose every send fails as `fail` makes it fail. */
function failingWith(fail: () => Error): TargetAdapter {
  return {
    name: 'province',
    kind: 'rest-json',
    deliver: async () => {
      throw fail();
    },
    close: async () => undefined,
  };
}

async function entriesAfter(ledger: Ledger, seq: number): Promise<AuditEntry[]> {
  return ledger.readAudit({ afterSeq: seq, limit: 1000 });
}

async function headSeq(ledger: Ledger): Promise<number> {
  return (await ledger.readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
}

describe.each(BACKENDS)('failed delivery attempts in the audit chain ($name)', (backend) => {
  it('records a send the platform answered 500 as attempt 1, without its text, then the outcome', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 1, { pipeline: PIPELINE }));
      const target = failingOnce();
      const before = await headSeq(ledger);

      await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({
        code: ErrorCodes.TARGET_UNREACHABLE,
      });
      const [row] = await ledger.getDeliveries(
        (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key),
      );
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      const lastError = row?.lastError as string;
      expect(lastError).toContain('HTTP 500');

      const failed = await entriesAfter(ledger, before);
      expect(failed).toHaveLength(1);
      const [attempt] = failed as [AuditEntry];
      expect(attempt).toMatchObject({
        action: 'deliver-attempt',
        actor: 'target:province',
        licenseId: row?.licenseId,
        version: row?.version,
      });
      expect(JSON.parse(attempt.detail)).toEqual({
        attempt: 1,
        reason: 'http-500',
        errorSm3: sm3Hex(lastError),
        step: 'send',
      });
      // Neither the error text nor any part of it that is not ours: the platform's origin, its words.
      const stored = JSON.stringify(failed);
      expect(stored).not.toContain(lastError);
      expect(stored).not.toContain('province.invalid');
      expect(stored).not.toContain('DB_DOWN');
      expect(stored).not.toContain('经营者');

      const result = await deliverVersions(target, SEAL, ledger, ids);
      expect(result.accepted).toBe(1);
      const all = await entriesAfter(ledger, before);
      expect(all.map((e) => [e.action, JSON.parse(e.detail).state ?? null])).toEqual([
        ['deliver-attempt', null],
        ['deliver', 'accepted'],
      ]);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });

  it('records the deliveries of one failed send in one batch entry binding each attempt', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 3, { pipeline: PIPELINE }));
      const rows = await ledger.ensureDeliveries(ids, 'province');
      const keys = rows.map((r) => r.key);
      const before = await headSeq(ledger);
      const text = `target province: batch upload to ${ORIGIN} failed: no answer in time`;

      await ledger.recordDeliveryAttempt(keys, { error: text, reason: 'timeout' });
      const [entry, ...more] = await entriesAfter(ledger, before);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ action: 'deliver-attempt', actor: 'target:province', licenseId: null });
      const detail = JSON.parse((entry as AuditEntry).detail);
      expect(detail).toEqual({
        attempt: 1,
        reason: 'timeout',
        errorSm3: sm3Hex(text),
        step: 'send',
        versions: `${ids[0]}-${ids[2]}`,
        count: 3,
      });
      expect(entry?.digest).toBe(batchDigest(ids.map((id) => ({ versionId: id, tuple: [1] }))));

      // A second failure of two of them is their attempt 2; the one answered meanwhile is left.
      await ledger.recordDeliveryOutcomes([{ key: keys[2] as string, state: 'accepted', platformId: 'p-3' }]);
      const mid = await headSeq(ledger);
      await ledger.recordDeliveryAttempt(keys, {
        error: 'target province: connection failed (ECONNREFUSED)',
        reason: 'unreachable',
      });
      const [second, ...others] = await entriesAfter(ledger, mid);
      expect(others).toEqual([]);
      expect(JSON.parse((second as AuditEntry).detail)).toMatchObject({
        attempt: 2,
        reason: 'unreachable',
        versions: `${ids[0]}-${ids[1]}`,
        count: 2,
      });
      expect(await ledger.verifyAudit({ pageSize: 2 })).toMatchObject({ ok: true });
    });
  });

  it('records the kind the send failed by, as the stage knew it, not as its words read', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 1, { pipeline: PIPELINE }));
      const where = { target: 'province', origin: ORIGIN, now: Date.now() };
      const before = await headSeq(ledger);

      // An answer cut off at its limit: no `other`, whatever its message's words.
      const oversize = failingWith(() => errorFromOversize(1_048_576, where));
      await expect(deliverVersions(oversize, SEAL, ledger, ids)).rejects.toMatchObject({
        code: ErrorCodes.TARGET_UNREACHABLE,
      });
      // A refused connection to a host named `timeout`: refused, not timed out.
      const refused = failingWith(() =>
        errorFromTransport(
          { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', timedOut: false },
          { ...where, origin: 'https://timeout.province.invalid:8443' },
        ),
      );
      await expect(deliverVersions(refused, SEAL, ledger, ids)).rejects.toMatchObject({
        code: ErrorCodes.TARGET_UNREACHABLE,
      });

      const entries = await entriesAfter(ledger, before);
      expect(
        entries.map((e) => [e.action, JSON.parse(e.detail).attempt, JSON.parse(e.detail).reason]),
      ).toEqual([
        ['deliver-attempt', 1, 'answer-too-large'],
        ['deliver-attempt', 2, 'unreachable'],
      ]);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });

  it('records a failed outcome by the kind its adapter set, not by its words', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 2, { pipeline: PIPELINE }));
      const before = await headSeq(ledger);

      // A front database refusing the first row for its values (a NULL into a NOT NULL column,
      // SQLSTATE 23502) in an exchange table whose name reads `timeout`: its reason names the
      // table, and the refusal is no timeout.
      const table = 'EXCH_TIMEOUT';
      const exchange = await refusingExchange(table, 'refused-payload');
      exchange.refuse = () =>
        Object.assign(new Error('null value in column violates not-null constraint'), { code: '23502' });
      const frontDb: TargetAdapter = {
        name: 'city',
        kind: 'front-db',
        deliver: async (items) => {
          const rows = items.map((item, n) => ({
            ...exchangeRow(n + 1, n === 0 ? 'refused-payload' : 'payload'),
            [COLUMNS.key]: item.key,
          }));
          const written = await writeExchangeRows(exchange.k, table, rows);
          return items.map((i) => written.get(i.key) ?? { key: i.key, state: 'failed', retryable: true });
        },
        close: async () => undefined,
      };
      try {
        await deliverVersions(frontDb, SEAL, ledger, ids).catch(() => undefined);
      } finally {
        await exchange.k.destroy();
      }
      // A platform answering the key with a status it names `timeout`: an unknown status.
      const unknown: TargetAdapter = {
        name: 'city',
        kind: 'rest-json',
        deliver: async (items) =>
          items.map((i) => keyOutcome(i.key, [{ key: i.key, status: 'timeout' }], 'service')),
        close: async () => undefined,
      };
      await deliverVersions(unknown, SEAL, ledger, ids).catch(() => undefined);

      const attempts = (await entriesAfter(ledger, before)).filter((e) => e.action === 'deliver-attempt');
      expect(attempts.map((e) => [JSON.parse(e.detail).attempt, JSON.parse(e.detail).reason])).toEqual([
        [1, 'other'],
        [2, 'unknown-status'],
      ]);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });

  it('refuses a reason code outside the list, counting and recording nothing', async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 1, { pipeline: PIPELINE }));
      const keys = (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key);
      const before = await headSeq(ledger);
      const failure = { error: 'target province: failed', reason: 'answer is larger than' };
      await expect(
        ledger.recordDeliveryAttempt(keys, failure as unknown as AttemptFailure),
      ).rejects.toMatchObject({ code: ErrorCodes.INTERNAL });
      expect((await ledger.getDeliveries(keys)).map((r) => r.attempts)).toEqual([0]);
      expect(await entriesAfter(ledger, before)).toEqual([]);
    });
  });

  it("records a failed status request as a step 'status' attempt, and nothing for rows it leaves", async () => {
    await withLedger(backend, async (ledger) => {
      const commit = signedRuns(() => ledger, PIPELINE, SEAL);
      const ids = await commit(candidates(1, 2, { pipeline: PIPELINE }));
      const [submitted, open] = (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key) as [
        string,
        string,
      ];
      await ledger.recordDeliveryOutcomes([{ key: submitted, state: 'submitted', platformId: 'p-1' }]);
      const before = await headSeq(ledger);

      // Only on deliveries still submitted: the open one is no status request's.
      await ledger.recordDeliveryAttempt(
        [submitted, open],
        { error: 'platform answered with an unknown status `FROZEN`', reason: 'unknown-status' },
        'submitted',
      );
      const [entry, ...more] = await entriesAfter(ledger, before);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ action: 'deliver-attempt', version: 1 });
      expect(JSON.parse((entry as AuditEntry).detail)).toMatchObject({
        attempt: 2,
        reason: 'unknown-status',
        step: 'status',
      });

      // An attempt that changes no row (the delivery accepted meanwhile) is no act.
      await ledger.recordDeliveryOutcomes([{ key: submitted, state: 'accepted' }]);
      const after = await headSeq(ledger);
      await ledger.recordDeliveryAttempt(
        [submitted],
        { error: 'platform: status unknown', reason: 'unknown-status' },
        'submitted',
      );
      expect(await entriesAfter(ledger, after)).toEqual([]);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });
});
