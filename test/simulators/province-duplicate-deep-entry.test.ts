/**
 * A resent key is answered "duplicate" with its stored entry's platform id however deep the entry
 * nests: item-check stores an unknown license field as received, and one nested past SQLite's JSON
 * depth limit (1000) was stored fine, but reading the id in SQL failed the whole batch, batch-mates
 * included, with a 500 on every retry, where the first answer was "accepted".
 */
import { describe, expect, it } from 'vitest';
import { handleBatch } from '../../adapters/simulators/province/batch-handler.js';
import { StateStore } from '../../adapters/simulators/province/state-store.js';
import { wireItem } from './demo-wire-item.js';

async function post(store: StateStore, items: unknown[]) {
  const reply = await store.apply(() =>
    handleBatch(store, Buffer.from(JSON.stringify({ items })), () => Date.UTC(2026, 0, 1)),
  );
  return { status: reply.status, results: reply.body.results as Record<string, unknown>[] };
}

describe('province simulator: duplicate of an entry nested past 1000 levels', () => {
  it('is answered as a duplicate with its platform id, and its batch-mate is accepted', async () => {
    const store = new StateStore();
    await store.load();
    let deep: unknown = 'x';
    for (let i = 0; i < 1001; i++) deep = [deep];
    const item = wireItem(1, 1);
    (item.license as Record<string, unknown>).extra = deep;
    const first = await post(store, [item]);
    expect(first.status).toBe(200);
    expect(first.results[0]?.status).toBe('accepted');
    const platformId = first.results[0]?.platformId;
    expect(platformId).toMatch(/^PV/);

    const mate = wireItem(2, 1);
    const again = await post(store, [item, mate]);
    expect(again.status).toBe(200);
    expect(again.results[0]).toEqual({
      key: item.key,
      status: 'accepted',
      platformId,
      errors: [],
      duplicate: true,
    });
    expect(again.results[1]).toMatchObject({ key: mate.key, status: 'accepted' });
    expect(again.results[1]?.duplicate).toBeUndefined();
    expect(store.all().map((e) => e.key)).toEqual([item.key, mate.key]);
    expect(store.stats).toMatchObject({ received: 3, accepted: 2, duplicates: 1 });
  });
});
