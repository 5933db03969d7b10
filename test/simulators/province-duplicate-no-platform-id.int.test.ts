/**
 * A resent key whose stored entry holds no platform id (a state database edited by hand) is
 * answered "duplicate" without a `platformId`, as handleBatch answered it from the parsed entry
 * before c2d50759 — not with `platformId: null` — and one whose entry holds an id that is not a
 * string with that id as it is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { handleBatch } from '../../adapters/simulators/province/batch-handler.js';
import { StateStore } from '../../adapters/simulators/province/state-store.js';
import { wireItem } from './demo-wire-item.js';

async function post(store: StateStore, items: unknown[]) {
  const reply = await store.apply(() =>
    handleBatch(store, Buffer.from(JSON.stringify({ items })), () => Date.UTC(2026, 0, 1)),
  );
  // As the client reads it: the JSON on the wire.
  return { status: reply.status, results: JSON.parse(JSON.stringify(reply.body)).results as unknown[] };
}

/** Rewrites the stored entry of `key` in a stopped simulator's state file. */
function editEntry(file: string, key: string, edit: (entry: Record<string, unknown>) => void): void {
  const db = new Database(file);
  try {
    const body = db.prepare('SELECT body FROM entries WHERE key = ?').pluck().get(key) as string;
    const entry = JSON.parse(body) as Record<string, unknown>;
    edit(entry);
    db.prepare('UPDATE entries SET body = ? WHERE key = ?').run(JSON.stringify(entry), key);
  } finally {
    db.close();
  }
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('province simulator: duplicate of an entry edited by hand', () => {
  it('answers without a platform id where the entry has none, and with one not a string as stored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-sim-dup-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.db');
    const [bare, odd, plain] = [wireItem(1, 1), wireItem(2, 1), wireItem(3, 1)];
    const first = new StateStore(stateFile);
    await first.load();
    const accepted = await post(first, [bare, odd, plain]);
    expect(accepted.status).toBe(200);
    await first.close();
    editEntry(stateFile, bare.key, (e) => {
      delete e.platformId;
    });
    editEntry(stateFile, odd.key, (e) => {
      e.platformId = { id: 'PV000000000002' };
    });

    const store = new StateStore(stateFile);
    await store.load();
    try {
      const again = await post(store, [bare, odd, plain]);
      expect(again.status).toBe(200);
      expect(again.results).toEqual([
        { key: bare.key, status: 'accepted', errors: [], duplicate: true },
        {
          key: odd.key,
          status: 'accepted',
          platformId: { id: 'PV000000000002' },
          errors: [],
          duplicate: true,
        },
        { ...(accepted.results[2] as object), duplicate: true },
      ]);
    } finally {
      await store.close();
    }
  });
});
