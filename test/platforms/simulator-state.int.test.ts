/**
 * The simulators' state file: what a simulator acknowledged is there after a restart (entries,
 * platform ids, counters, first answers to `Idempotency-Key`s), a JSON file of the earlier format
 * still loads, and saving a batch writes what the batch changed, not what the platform holds.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleBatch } from '../../adapters/simulators/province/batch-handler.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { readSimulatorState, StateStore } from '../../adapters/simulators/province/state-store.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-sim-state-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(stateFile: string): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator({ stateFile });
  cleanups.push(() => sim.close());
  return sim;
}

/** A wire item written by hand, independent of the adapter's payload code. */
function wireItem(licenseId: string, version: number) {
  return {
    key: `${licenseId}:${version}:province`,
    operation: version === 1 ? '01' : '09',
    license: {
      zzbs: `1.2.156.3005.2.X.Y.${licenseId}.00${version}.F`,
      zzbh: `NO-${licenseId}`,
      czztdm: '91370211MA3C000000',
      zmxx: { a: 1 },
    },
    signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
  };
}

interface Answer {
  status: number;
  replayed: string | null;
  body: { batchId?: string; results: { key: string; status: string; platformId: string | null }[] };
}

async function post(url: string, items: unknown[], idempotencyKey?: string): Promise<Answer> {
  const res = await fetch(`${url}/licenses/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({ items }),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed'),
    body: (await res.json()) as Answer['body'],
  };
}

const keys = (sim: ProvinceSimulator) => sim.licenses().map((l) => l.key);

describe('simulator state file: restarts', () => {
  it('keeps what each run appended: entries in order, platform ids, counters, current views', async () => {
    const stateFile = join(await tempDir(), 'state.db');
    const first = await start(stateFile);
    const a = await post(first.url, [wireItem('lic-1', 1), wireItem('lic-2', 1)]);
    await first.close();

    const second = await start(stateFile);
    const b = await post(second.url, [wireItem('lic-3', 1), wireItem('lic-1', 2), wireItem('lic-2', 1)]);
    await second.close();

    const third = await start(stateFile);
    expect(keys(third)).toEqual([
      'lic-1:1:province',
      'lic-2:1:province',
      'lic-3:1:province',
      'lic-1:2:province',
    ]);
    expect(third.stats()).toMatchObject({ received: 5, accepted: 4, duplicates: 1, requests: 2 });
    // lic-1 keeps its platform id across versions and restarts; ids are never handed out twice.
    const ids = [...a.body.results, ...b.body.results].map((r) => r.platformId);
    expect(ids[3]).toBe(ids[0]);
    expect(ids[4]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
    const c = await post(third.url, [wireItem('lic-4', 1)]);
    expect(new Set([...ids, c.body.results[0]?.platformId]).size).toBe(4);

    const lic1 = (await (await fetch(`${third.url}/licenses/lic-1`)).json()) as {
      latestVersion: number;
      versions: { version: number }[];
    };
    expect(lic1.latestVersion).toBe(2);
    expect(lic1.versions.map((v) => v.version)).toEqual([1, 2]);
    const current = (await (await fetch(`${third.url}/licenses/current?after=lic-1&limit=2`)).json()) as {
      items: { key: string }[];
    };
    expect(current.items.map((i) => i.key)).toEqual(['lic-2:1:province', 'lic-3:1:province']);
    const byIdentifier = (await (
      await fetch(`${third.url}/licenses?identifier=${encodeURIComponent(wireItem('lic-3', 1).license.zzbs)}`)
    ).json()) as { items: { key: string }[] };
    expect(byIdentifier.items.map((i) => i.key)).toEqual(['lic-3:1:province']);
  });

  it('has an acknowledged batch on disk before it answers: a second simulator on the file sees it', async () => {
    // Stands in for a crash: the first simulator is never closed before the file is read again.
    const stateFile = join(await tempDir(), 'state.db');
    const first = await start(stateFile);
    await post(first.url, [wireItem('lic-1', 1)], 'key-1');
    const snapshot = await readSimulatorState(stateFile);
    expect(snapshot.entries.map((e) => e.key)).toEqual(['lic-1:1:province']);
    expect(snapshot.stats).toMatchObject({ received: 1, accepted: 1 });
  });

  it('still answers a used Idempotency-Key with the first answer after a restart', async () => {
    const stateFile = join(await tempDir(), 'state.db');
    const first = await start(stateFile);
    const original = await post(first.url, [wireItem('lic-1', 1)], 'batch-7');
    expect(original.replayed).toBeNull();
    await first.close();

    const second = await start(stateFile);
    // Another batch under the same key: the gateway replays the first answer and drops the batch.
    const again = await post(second.url, [wireItem('lic-1', 2)], 'batch-7');
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(original.body);
    expect(keys(second)).toEqual(['lic-1:1:province']);
    expect(second.stats().idempotentReplays).toBe(1);
    // A new key is processed as usual.
    const fresh = await post(second.url, [wireItem('lic-1', 2)], 'batch-8');
    expect(fresh.replayed).toBeNull();
    expect(fresh.body.batchId).not.toBe(original.body.batchId);
    expect(keys(second)).toEqual(['lic-1:1:province', 'lic-1:2:province']);
  });

  it('loads a JSON state file of the earlier format and converts it in place', async () => {
    const stateFile = join(await tempDir(), 'state.json');
    const entry = (licenseId: string, seq: number) => ({
      ...wireItem(licenseId, 1),
      licenseId,
      version: 1,
      target: 'province',
      platformId: `PV${String(seq).padStart(12, '0')}`,
      acceptedAt: '2026-01-02T03:04:05.000Z',
    });
    const old = {
      format: 1,
      nextPlatformSeq: 3,
      stats: {
        received: 3,
        accepted: 2,
        rejected: 0,
        duplicates: 1,
        outOfOrder: 0,
        requests: 2,
        faultsInjected: 0,
      },
      entries: [entry('lic-b', 1), entry('lic-a', 2)],
    };
    await writeFile(stateFile, JSON.stringify(old));

    const sim = await start(stateFile);
    expect(keys(sim)).toEqual(['lic-b:1:province', 'lic-a:1:province']);
    expect(sim.stats()).toMatchObject({ received: 3, accepted: 2, duplicates: 1 });
    const next = await post(sim.url, [wireItem('lic-a', 1), wireItem('lic-c', 1)]);
    expect(next.body.results.map((r) => r.platformId)).toEqual(['PV000000000002', 'PV000000000003']);
    await sim.close();

    expect((await readFile(stateFile)).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    const back = await readSimulatorState(stateFile);
    expect(back.entries.slice(0, 2)).toEqual(old.entries);
    expect(back.entries.map((e) => e.key)).toEqual([
      'lic-b:1:province',
      'lic-a:1:province',
      'lic-c:1:province',
    ]);
    expect(back).toMatchObject({ format: 1, nextPlatformSeq: 4, stats: { received: 5, accepted: 3 } });
  });
});

/** Bytes this process has passed to write(2) and friends so far (Linux). */
function bytesWritten(): number {
  const m = /^wchar:\s+(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  if (!m) throw new Error('/proc/self/io has no wchar line');
  return Number(m[1]);
}

describe('simulator state file: cost of a save', () => {
  it('writes per batch what the batch changed, whatever the store already holds', async () => {
    const stateFile = join(await tempDir(), 'state.db');
    const store = new StateStore(stateFile);
    await store.load();
    cleanups.push(() => store.close());
    let next = 0;
    /** One batch of 100 new licenses, applied and saved; the bytes written while doing it. */
    const batch = (): number => {
      const items = Array.from({ length: 100 }, () => wireItem(`lic-${String(next++).padStart(8, '0')}`, 1));
      const body = Buffer.from(JSON.stringify({ items }));
      // handleBatch and the commit in save() are synchronous: nothing else writes in between.
      const before = bytesWritten();
      const { changed } = handleBatch(store, body, Date.now);
      void store.save();
      const written = bytesWritten() - before;
      expect(changed).toBe(true);
      return written;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const measure = () => median(Array.from({ length: 21 }, batch));

    for (let i = 0; i < 10; i++) batch();
    const small = measure(); // about 1,000–3,000 licenses held
    for (let i = 0; i < 300; i++) batch();
    const large = measure(); // about 31,000–33,000 licenses held

    expect(store.stats.accepted).toBe(next);
    // Ten times the licenses held, the same cost per batch (a B-tree level more at most) …
    expect(large).toBeLessThan(small * 1.5);
    // … and far from rewriting what is held, as the JSON file did: it was ≥ the whole state each time.
    const wholeStateJson = JSON.stringify(store.all()).length;
    expect(large).toBeLessThan(wholeStateJson / 50);
    // Stated for the record; not a threshold.
    console.info(
      `state file: ${small} bytes per batch of 100 at ~2,000 licenses, ${large} at ~32,000; a JSON rewrite: ${wholeStateJson}`,
    );
  }, 120_000);
});
