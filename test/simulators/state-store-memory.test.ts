/**
 * The province simulator's state in memory (no state file), as the bench and most tests run it:
 * what batches stored reads back whole through every lookup, once it spans many of the database's
 * pages (entries of ~1.1 KB, as a demo license arrives), and a batch that fails part way leaves
 * nothing of itself there, its counters and platform ids included.
 */
import { describe, expect, it } from 'vitest';
import { handleBatch } from '../../adapters/simulators/province/batch-handler.js';
import { StateStore } from '../../adapters/simulators/province/state-store.js';
import { wireItem } from './demo-wire-item.js';

type Item = ReturnType<typeof wireItem>;

async function post(store: StateStore, items: unknown[]) {
  return store.apply(() =>
    handleBatch(store, Buffer.from(JSON.stringify({ items })), () => Date.UTC(2026, 0, 1)),
  );
}

describe('province simulator state in memory', () => {
  it('reads back every entry stored, across many pages, through each lookup', async () => {
    const store = new StateStore();
    await store.load();
    const sent: Item[] = [];
    for (let b = 0; b < 6; b++) {
      const items = Array.from({ length: 250 }, (_, i) => wireItem(b * 250 + i, 1));
      sent.push(...items);
      const reply = await post(store, items);
      expect(reply.status).toBe(200);
    }
    // A second version of every tenth license, and a late first version of one held at version 2.
    const second = sent.filter((_, i) => i % 10 === 0).map((_, i) => wireItem(i * 10, 2));
    await post(store, second);

    const all = store.all();
    expect(all.map((e) => e.key)).toEqual([...sent, ...second].map((i) => i.key));
    expect(all.map((e) => e.license)).toEqual([...sent, ...second].map((i) => i.license));
    expect(new Set(all.map((e) => e.platformId)).size).toBe(sent.length);
    expect(store.stats).toMatchObject({ received: 1650, accepted: 1650, duplicates: 0, outOfOrder: 0 });

    const probe = sent[1234] as Item;
    expect(store.get(probe.key)?.license).toEqual(probe.license);
    expect(store.find({ identifier: probe.license.zzbs }).map((e) => e.key)).toEqual([probe.key]);
    expect(store.find({ number: probe.license.zzbh }).map((e) => e.key)).toEqual([probe.key]);
    const twice = sent[20] as Item;
    const licenseId = twice.key.replace(/:1:province$/, '');
    expect(store.versionsOf(licenseId).map((e) => e.version)).toEqual([1, 2]);
    expect(store.holding(licenseId)).toMatchObject({
      latestVersion: 2,
      latestKey: `${licenseId}:2:province`,
    });
    const current = store.currentAfter('', 2000);
    expect(current).toHaveLength(sent.length);
    expect(current.filter((e) => e.version === 2)).toHaveLength(second.length);

    // Sent again: duplicates, the same platform ids, nothing stored twice.
    const again = await post(store, sent.slice(0, 300));
    const ids = (again.body.results as { platformId: string }[]).map((r) => r.platformId);
    expect(ids).toEqual(all.slice(0, 300).map((e) => e.platformId));
    expect(store.all()).toHaveLength(1650);
    expect(store.stats.duplicates).toBe(300);
  });

  it('keeps nothing of a batch that fails part way, however many pages it wrote', async () => {
    const store = new StateStore();
    await store.load();
    const first = Array.from({ length: 400 }, (_, i) => wireItem(i, 1));
    await post(store, first);
    const statsBefore = { ...store.stats };

    const failing = Array.from({ length: 600 }, (_, i) => wireItem(1000 + i, 1));
    let accepted = 0;
    const accept = store.accept.bind(store);
    store.accept = (entry, held) => {
      // A write refused after 500 items were stored, as a full disk refuses one.
      if (++accepted > 500) throw new Error('disk full');
      return accept(entry, held);
    };
    await expect(post(store, failing)).rejects.toThrow('disk full');
    store.accept = accept;

    expect(store.all().map((e) => e.key)).toEqual(first.map((i) => i.key));
    expect(store.get((failing[0] as Item).key)).toBeUndefined();
    expect(store.currentAfter('', 2000)).toHaveLength(400);
    expect(store.stats).toEqual(statsBefore);

    // Sent again, the batch is stored whole, with the platform ids next after the first batch's.
    const reply = await post(store, failing);
    const ids = (reply.body.results as { platformId: string }[]).map((r) => r.platformId);
    expect(ids[0]).toBe('PV000000000401');
    expect(store.all()).toHaveLength(1000);
  });
});
