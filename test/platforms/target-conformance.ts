/**
 * The conformance suite every target adapter passes, as every source connector passes
 * test/connectors/conformance.ts. A target's test file supplies a factory giving an adapter on a
 * fresh platform (a simulator, a fresh front database) and a way to read what the platform holds.
 * What it pins is the contract of adapters/platforms/target.ts:
 * - one outcome per item, in the items' order, keyed by the item's delivery key;
 * - a key delivered again is answered, not stored twice (the effect is exactly once);
 * - each version travels under its own key;
 * - an unreachable platform is a retryable failure, never an accepted delivery, and never shows
 *   personal data;
 * - look-ups (where a target has them) carry the license as the platform holds it, which is what
 *   a repair adopting an unknown license needs, and list everything delivered;
 * - close is safe twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

export interface TargetFixture {
  adapter: TargetAdapter;
  /** The target name the adapter was configured under (the delivery keys' last part). */
  target: string;
  /** The delivery keys the platform holds, one per stored delivery. */
  heldKeys(): Promise<string[]>;
  /** An adapter of the same kind whose platform cannot be reached. */
  unreachable(): Promise<TargetAdapter>;
  dispose(): Promise<void>;
}

export type TargetFactory = () => Promise<TargetFixture>;

const FINAL_OK = new Set(['accepted', 'submitted']);

/** Deliver, turning a thrown retryable error into the same failure outcomes a target may return. */
async function attempt(
  adapter: TargetAdapter,
  items: readonly DeliveryItem[],
): Promise<DeliveryOutcome[] | Error> {
  try {
    return await adapter.deliver(items);
  } catch (e) {
    return e as Error;
  }
}

export function runTargetConformance(name: string, factory: TargetFactory): void {
  describe(`target conformance: ${name}`, () => {
    let f: TargetFixture;
    let serial = 0;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.dispose();
    });
    const items = (n: number, version = 1): DeliveryItem[] =>
      Array.from({ length: n }, () => deliveryItem(++serial + 1000, { target: f.target, version }));

    it('answers one outcome per item, in order, keyed by the delivery key', async () => {
      const batch = items(3);
      const out = await f.adapter.deliver(batch);
      expect(out.map((o) => o.key)).toEqual(batch.map((i) => i.key));
      for (const o of out)
        expect(FINAL_OK.has(o.state), `${o.key}: ${o.state} ${o.reasons ?? ''}`).toBe(true);
      expect((await f.heldKeys()).sort()).toEqual(batch.map((i) => i.key).sort());
    });

    it('answers a repeated key without storing it twice, with the first platform id', async () => {
      const batch = items(2);
      const first = await f.adapter.deliver(batch);
      const again = await f.adapter.deliver([batch[1] as DeliveryItem, batch[0] as DeliveryItem]);
      expect(again.map((o) => o.key)).toEqual([batch[1]?.key, batch[0]?.key]);
      for (const o of again) expect(FINAL_OK.has(o.state)).toBe(true);
      const firstId = new Map(first.map((o) => [o.key, o.platformId]));
      for (const o of again)
        if (firstId.get(o.key) !== undefined) expect(o.platformId).toBe(firstId.get(o.key));
      expect((await f.heldKeys()).sort()).toEqual(batch.map((i) => i.key).sort());
    });

    it('sends each version of a license under its own key', async () => {
      const [v1] = items(1);
      if (!v1) throw new Error('no item');
      const v2: DeliveryItem = {
        ...v1,
        version: 2,
        operation: 'update',
        key: `${v1.licenseId}:2:${f.target}`,
        license: { ...v1.license, identifier: v1.license.identifier.replace(/\.001\.(.)$/, '.002.$1') },
      };
      await f.adapter.deliver([v1]);
      const out = await f.adapter.deliver([v2]);
      expect(out.map((o) => [o.key, FINAL_OK.has(o.state)])).toEqual([[v2.key, true]]);
      expect(await f.heldKeys()).toContain(v2.key);
    });

    it('an unreachable platform is a retryable failure that shows no personal data', async () => {
      const down = await f.unreachable();
      try {
        const batch = items(2);
        const result = await attempt(down, batch);
        if (result instanceof Error) {
          expect(isLicbridgeError(result) && result.retryable).toBe(true);
          expect(`${result.message} ${JSON.stringify(result)}`).not.toMatch(
            new RegExp(`${HOLDER_NAME}|${HOLDER_ID}`),
          );
        } else {
          expect(result.map((o) => [o.key, o.state, o.retryable])).toEqual(
            batch.map((i) => [i.key, 'failed', true]),
          );
          expect(JSON.stringify(result)).not.toMatch(new RegExp(`${HOLDER_NAME}|${HOLDER_ID}`));
        }
      } finally {
        await down.close();
      }
    });

    it('looks up and lists what it holds, each record carrying the license as held', async (ctx) => {
      if (!f.adapter.lookup && !f.adapter.list) {
        // Nothing to look up on this kind of platform; a repair flags unknown licenses instead.
        expect(f.adapter.lookup).toBeUndefined();
        ctx.annotate?.('no lookup on this target kind');
        return;
      }
      const batch = items(3);
      await f.adapter.deliver(batch);
      const wanted = [batch[0]?.licenseId, batch[2]?.licenseId, 'lic-not-there'].filter(
        (x): x is string => x !== undefined,
      );
      if (f.adapter.lookup) {
        const found = await f.adapter.lookup(wanted);
        expect(found.map((r) => r.licenseId).sort()).toEqual(
          [batch[0]?.licenseId, batch[2]?.licenseId].sort(),
        );
        for (const r of found) {
          const sent = batch.find((i) => i.licenseId === r.licenseId);
          expect(r.version).toBe(1);
          expect(r.license?.identifier).toBe(sent?.license.identifier);
          expect(r.license?.number).toBe(sent?.license.number);
        }
      }
      if (f.adapter.list) {
        const listed: string[] = [];
        for await (const chunk of f.adapter.list({ chunkSize: 2 }))
          listed.push(...chunk.map((r) => r.licenseId));
        expect(listed).toEqual(expect.arrayContaining(batch.map((i) => i.licenseId)));
        expect(new Set(listed).size).toBe(listed.length);
      }
    });

    it('closes twice without harm', async () => {
      await f.adapter.close();
      await f.adapter.close();
    });
  });
}
