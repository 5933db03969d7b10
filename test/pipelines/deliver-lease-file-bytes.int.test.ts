/**
 * A send carrying license files may take, besides `timeoutMs` per request, the time its bytes take
 * to send at 128 KiB/s (adapters/whole-request-timeout.ts): a request of 32 MiB of files has
 * `timeoutMs` + 256 s. The delivery lease was sized on `timeoutMs` alone, so a slow upload of
 * files outlived it and another job could claim the same deliveries and send them again. The
 * lease is now renewed for the files' bytes before the send (pipelines/stages/delivery-lease.ts),
 * and still runs out once that allowance is past (a sender that died).
 *
 * The lease's times are the ledger's clock: time passing is the lease's end moved back in the
 * database (test/ledger/clock-skew.ts), never waited out.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, TargetAdapter } from '../../adapters/platforms/target.js';
import { requestAllowanceMs } from '../../adapters/whole-request-timeout.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { LEASE_MARGIN_MS, sendLeaseMs } from '../../pipelines/stages/delivery-lease.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { makeTempDir } from '../signers/helpers.js';

const SEAL = 'seal-lease-file-bytes';
const PIPELINE = 'lease-file-bytes';
/** The target's `timeoutMs` and `batchSize`. */
const SIZING = { timeoutMs: 1_000, batchSize: 100 };
/** A license file of 3 MiB: as base64, 4 MiB, some 32 s to send at 128 KiB/s. */
const FILE_BYTES = 3 * 1024 * 1024;

for (const backend of BACKENDS) {
  describe(`the lease of a send carrying license files (${backend.name} ledger)`, () => {
    const temp = makeTempDir();
    const store = join(temp.dir, 'store');
    let db: TestDatabase;
    let ledger: Ledger;
    const { oneDelivery } = signedDeliveries(() => ledger, PIPELINE, SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
      temp.cleanup();
    });

    /** One signed delivery whose version has a license file of FILE_BYTES in `store`. */
    async function deliveryWithFile(): Promise<{ ids: number[]; key: string }> {
      const one = await oneDelivery();
      const [v] = await ledger.getVersions(one.ids);
      if (!v) throw new Error('no version');
      const path = `${v.licenseId}-${v.version}.ofd`;
      const bytes = Buffer.alloc(FILE_BYTES, 7);
      mkdirSync(store, { recursive: true });
      writeFileSync(join(store, path), bytes);
      await ledger.licenseFiles.record([
        {
          versionId: v.versionId,
          licenseId: v.licenseId,
          version: v.version,
          pipeline: PIPELINE,
          path,
          sm3: createHash('sm3').update(bytes).digest('hex'),
          size: bytes.length,
          seal: SEAL,
          signedAt: new Date(),
        },
      ]);
      return one;
    }

    it('holds the deliveries while their files may still be sending, and lets them go after', async () => {
      const { ids, key } = await deliveryWithFile();
      const leaseMs = sendLeaseMs(SIZING, ids.length);
      // What the send may take: two requests' timeoutMs and the file's base64 at 128 KiB/s.
      const allowanceMs = requestAllowanceMs(2 * SIZING.timeoutMs, (4 * FILE_BYTES) / 3) + LEASE_MARGIN_MS;
      expect(allowanceMs - leaseMs).toBeGreaterThan(20_000);
      /** The ledger's clock going on `ms` for this delivery's lease. */
      const pass = async (ms: number) =>
        expect(await ageLeases(db.url, 'deliveries', ms, (q) => q.whereIn('version_id', ids))).toBe(1);
      const claimedByOther: string[][] = [];
      // The platform, still reading the file's bytes as the ledger's clock goes past the lease
      // `timeoutMs` sizes and then past the file's own time: another job tries to take it each time.
      const target: TargetAdapter = {
        name: 'province',
        kind: 'stub',
        licenseFiles: { maxBytes: 64 * 1024 * 1024, whenMissing: 'send-without' },
        async deliver(items: readonly DeliveryItem[]) {
          expect(items.map((i) => i.file?.size)).toEqual([FILE_BYTES]);
          await pass(leaseMs + 1_000);
          claimedByOther.push(await ledger.claimDeliveries([key], 'other-job', leaseMs));
          await pass(allowanceMs - leaseMs);
          claimedByOther.push(await ledger.claimDeliveries([key], 'other-job', leaseMs));
          return items.map((i) => ({ key: i.key, state: 'accepted' as const, platformId: `P-${i.key}` }));
        },
        close: async () => undefined,
      };
      await deliverVersions(target, SEAL, ledger, ids, { leaseMs, sizing: SIZING, fileStore: store });
      // Past the lease `timeoutMs` sizes, the send still holds it; past the files' time, a sender
      // that died is taken over.
      expect(claimedByOther).toEqual([[], [key]]);
    });

    it('does not send a delivery whose lease another job took before it was renewed', async () => {
      const { ids, key } = await deliveryWithFile();
      const leaseMs = sendLeaseMs(SIZING, ids.length);
      // The files were slow to read: as the lease is renewed for them, the ledger's clock is past
      // the job's lease already, and another job has taken the delivery.
      const slowFiles = new Proxy(ledger, {
        get(t, p) {
          const v = Reflect.get(t, p);
          if (p !== 'claimDeliveries') return typeof v === 'function' ? v.bind(t) : v;
          return async (keys: string[], owner: string, ms: number) => {
            if (ms > leaseMs && owner !== 'other-job') {
              expect(
                await ageLeases(db.url, 'deliveries', leaseMs + 1_000, (q) => q.whereIn('version_id', ids)),
              ).toBe(1);
              expect(await t.claimDeliveries([key], 'other-job', leaseMs)).toEqual([key]);
            }
            return t.claimDeliveries(keys, owner, ms);
          };
        },
      });
      const sent: string[] = [];
      const target: TargetAdapter = {
        name: 'province',
        kind: 'stub',
        licenseFiles: { maxBytes: 64 * 1024 * 1024, whenMissing: 'send-without' },
        async deliver(items: readonly DeliveryItem[]) {
          sent.push(...items.map((i) => i.key));
          return items.map((i) => ({ key: i.key, state: 'accepted' as const, platformId: `P-${i.key}` }));
        },
        close: async () => undefined,
      };
      const result = await deliverVersions(target, SEAL, slowFiles, ids, {
        leaseMs,
        sizing: SIZING,
        fileStore: store,
      });
      // The other job sends it; this one leaves it to that job, and says it waits.
      expect(sent).toEqual([]);
      expect(result).toMatchObject({ accepted: 0, waiting: 1 });
      expect((await ledger.getDeliveries([key]))[0]?.state).toBe('pending');
    });

    it('does not send a delivery without a file whose lease another job took while it was prepared', async () => {
      const { ids } = await oneDelivery();
      const leaseMs = sendLeaseMs(SIZING, ids.length);
      // No file to renew the lease for: as the job's claim returns, the ledger's clock goes past its
      // lease (the items slow to build) and another job takes the delivery.
      let taken: string[] = [];
      const slowBuild = new Proxy(ledger, {
        get(t, p) {
          const v = Reflect.get(t, p);
          if (p !== 'claimDeliveries') return typeof v === 'function' ? v.bind(t) : v;
          return async (keys: string[], owner: string, ms: number) => {
            const got = await t.claimDeliveries(keys, owner, ms);
            if (taken.length === 0 && owner !== 'other-job' && got.length > 0) {
              expect(
                await ageLeases(db.url, 'deliveries', leaseMs + 1_000, (q) => q.whereIn('version_id', ids)),
              ).toBe(1);
              taken = await t.claimDeliveries(got, 'other-job', leaseMs);
            }
            return got;
          };
        },
      });
      const sent: string[] = [];
      const target: TargetAdapter = {
        name: 'province',
        kind: 'stub',
        licenseFiles: { maxBytes: 64 * 1024 * 1024, whenMissing: 'send-without' },
        async deliver(items: readonly DeliveryItem[]) {
          sent.push(...items.map((i) => i.key));
          return items.map((i) => ({ key: i.key, state: 'accepted' as const, platformId: `P-${i.key}` }));
        },
        close: async () => undefined,
      };
      const result = await deliverVersions(target, SEAL, slowBuild, ids, { leaseMs, sizing: SIZING });
      expect(taken).toHaveLength(1);
      expect(sent).toEqual([]);
      expect(result).toMatchObject({ accepted: 0, waiting: 1 });
    });
  });
}
