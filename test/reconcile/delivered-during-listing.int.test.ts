/**
 * A delivery that lands after the platform check read a page of the listing and before it read the
 * ledger's page of the same licenses: the platform's page lacks the license (or holds its earlier
 * version), the ledger's page holds it delivered and accepted. Compared as read, the license was
 * `missing-at-platform` (or `platform-content-mismatch`), the check exited 1 and a repair sent it
 * again. The platform is now asked again for such a license, and only what it still lacks is
 * reported. A license the platform never received is reported as ever.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { byteOrder } from '../../pipelines/reconcile/byte-order.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { commitLicenses, ids, PREFIX } from './committed-licenses.js';

const TARGET = 'province';

const held = (licenseId: string, serial: string, version: number): PlatformRecord => ({
  licenseId,
  identifier: ids.identifier(serial, version),
  version,
  status: 'valid',
  platformId: `P-${serial}`,
});

/**
 * A platform holding `holds` (by license id), listed in chunks of `chunkSize` after the last id of
 * the chunk before, as it stands when each chunk is asked; `afterFirstChunk` runs once the first
 * chunk is read and before the check goes on with it. Looked up, it answers as it stands then.
 */
function platform(holds: Map<string, PlatformRecord>, afterFirstChunk: () => Promise<void>): TargetAdapter {
  const sorted = () => [...holds.values()].sort((a, b) => byteOrder(a.licenseId, b.licenseId));
  return {
    name: TARGET,
    list(options?: { chunkSize?: number }): AsyncIterable<PlatformRecord[]> {
      const size = options?.chunkSize ?? 500;
      let after = '';
      let step: (() => Promise<void>) | undefined = afterFirstChunk;
      return {
        [Symbol.asyncIterator]: () => ({
          async next(): Promise<IteratorResult<PlatformRecord[]>> {
            const chunk = sorted()
              .filter((r) => byteOrder(r.licenseId, after) > 0)
              .slice(0, size);
            if (chunk.length === 0) return { done: true, value: undefined };
            after = chunk[chunk.length - 1]?.licenseId ?? after;
            const run = step;
            step = undefined;
            await run?.();
            return { done: false, value: chunk };
          },
        }),
      };
    },
    async lookup(asked: readonly string[]) {
      return asked.flatMap((id) => {
        const r = holds.get(id);
        return r ? [r] : [];
      });
    },
  } as unknown as TargetAdapter;
}

/** Records the delivery of the latest version of each of `licenseIds` to the target as `accepted`. */
async function deliver(ledger: Ledger, pipeline: string, licenseIds: readonly string[]): Promise<void> {
  const latest = await ledger.licensesAtTargetByIds(pipeline, TARGET, licenseIds);
  await ledger.ensureDeliveries(
    latest.map((l) => l.versionId),
    TARGET,
  );
  await ledger.recordDeliveryOutcomes(
    latest.map((l) => ({ key: l.deliveryKey, state: 'accepted' as const })),
  );
}

describe.each(BACKENDS)('a delivery landing between the listing and the ledger page ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it.each([100, 2])(
    'pages of %i: only the license the platform never received is reported',
    async (pageSize) => {
      const pipeline = `landed-${pageSize}-${tag.toLowerCase()}`;
      const serials = ['A', 'B', 'C', 'D', 'E'].map((s) => `LD${pageSize}${tag}0${s}`);
      const [a, b, c, , e] = serials as [string, string, string, string, string];
      const [ia, ib, ic, id, ie] = (await commitLicenses(ledger, pipeline, serials)) as [
        string,
        string,
        string,
        string,
        string,
      ];
      // A, C, D and E delivered and accepted; the platform holds A, C and E (D it lost). B's
      // delivery is not made yet.
      await deliver(ledger, pipeline, [ia, ic, id, ie]);
      const holds = new Map([
        [ia, held(ia, a, 1)],
        [ic, held(ic, c, 1)],
        [ie, held(ie, e, 1)],
      ]);
      // Once the check holds the listing's first page: B is delivered, and E's version 2 committed
      // and delivered — the platform takes each, then the ledger records it accepted.
      const adapter = platform(holds, async () => {
        holds.set(ib, held(ib, b, 1));
        await deliver(ledger, pipeline, [ib]);
        await commitLicenses(ledger, pipeline, [e], 2);
        holds.set(ie, held(ie, e, 2));
        await deliver(ledger, pipeline, [ie]);
      });
      const check = await checkPlatform({ ledger, pipeline, adapter, licensePrefix: PREFIX, pageSize });
      expect(check.differences.map((x) => [x.kind, x.licenseId, x.ledger?.version])).toEqual([
        ['missing-at-platform', id, 1],
      ]);
      expect(check.counts.awaitingDelivery).toBeUndefined();
      expect(check.counts.total).toBe(4);
    },
  );
});
