/**
 * A batch that fails part way in the province simulator's in-memory state is taken back write by
 * write (batch-undo.ts): what it changed is put back as it was, not only what it added removed —
 * a license's holding moved to a newer version, an `Idempotency-Key` answer kept, and the oldest
 * answer it pushed out of the kept ones.
 */
import { describe, expect, it } from 'vitest';
import { handleBatch, type JsonReply } from '../../adapters/simulators/province/batch-handler.js';
import { MAX_REPLY_KEYS, StateStore } from '../../adapters/simulators/province/state-store.js';
import { wireItem, wireLicenseId } from './demo-wire-item.js';

const batch = (items: unknown[]) => Buffer.from(JSON.stringify({ items }));
const reply = (n: number): JsonReply => ({ status: 200, body: { code: 0, n } });

/** Everything the store answers with, to compare before and after. */
function view(store: StateStore, licenseIds: string[]) {
  return {
    all: store.all(),
    current: store.currentAfter('', 10_000),
    holdings: licenseIds.map((id) => store.holding(id) ?? null),
    stats: { ...store.stats },
  };
}

describe('province simulator in memory: a failed batch taken back', () => {
  it('puts a holding moved to a newer version back, and drops the holding of a license it added', async () => {
    const store = new StateStore();
    await store.load();
    const clock = () => Date.UTC(2026, 0, 1);
    await store.apply(() => handleBatch(store, batch([wireItem(1, 1), wireItem(2, 1)]), clock));
    const ids = [1, 2, 3].map(wireLicenseId);
    const before = view(store, ids);
    expect(before.holdings[0]).toMatchObject({ latestVersion: 1 });

    await expect(
      store.apply(() => {
        // Version 2 of license 1, then a new license 3, then the write that fails.
        const done = handleBatch(store, batch([wireItem(1, 2), wireItem(3, 1)]), clock);
        expect(store.holding(ids[0] as string)).toMatchObject({ latestVersion: 2 });
        throw new Error('disk full');
        // biome-ignore lint/correctness/noUnreachable: the failing write stands after the batch's own
        return done;
      }),
    ).rejects.toThrow('disk full');

    expect(view(store, ids)).toEqual(before);
    expect(store.versionsOf(ids[0] as string).map((e) => e.version)).toEqual([1]);
    // Sent again, the batch is stored whole.
    await store.apply(() => handleBatch(store, batch([wireItem(1, 2), wireItem(3, 1)]), clock));
    expect(store.holding(ids[0] as string)).toMatchObject({ latestVersion: 2 });
    expect(store.holding(ids[2] as string)).toMatchObject({ latestVersion: 1 });
  });

  it('drops the answer it kept and brings back the oldest answer it pushed out', async () => {
    const store = new StateStore();
    await store.load();
    for (let i = 0; i < MAX_REPLY_KEYS; i++) {
      await store.apply(() => {
        store.keepReply(`key-${i}`, `hash-${i}`, reply(i));
        return { reply: null, changed: true };
      });
    }
    expect(store.replyFor('key-0')).toEqual({ bodyHash: 'hash-0', reply: reply(0) });

    await expect(
      store.apply(() => {
        store.keepReply('key-new', 'hash-new', reply(-1));
        // The oldest answer is pushed out by the new one, inside the batch.
        expect(store.replyFor('key-0')).toBeUndefined();
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');

    expect(store.replyFor('key-new')).toBeUndefined();
    expect(store.replyFor('key-0')).toEqual({ bodyHash: 'hash-0', reply: reply(0) });
    expect(store.replyFor(`key-${MAX_REPLY_KEYS - 1}`)).toBeDefined();
    // Kept again, it pushes the same oldest answer out.
    await store.apply(() => {
      store.keepReply('key-new', 'hash-new', reply(-1));
      return { reply: null, changed: true };
    });
    expect(store.replyFor('key-new')).toEqual({ bodyHash: 'hash-new', reply: reply(-1) });
    expect(store.replyFor('key-0')).toBeUndefined();
    expect(store.replyFor('key-1')).toBeDefined();
  });
});
