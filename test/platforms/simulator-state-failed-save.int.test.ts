/**
 * A batch whose save fails (a full disk) is rolled back in the state file, and its counters and
 * platform ids with it: the next batch that saves writes what the platform holds. They stayed
 * counted in memory, so /_sim/stats and the counters the next save wrote claimed licenses accepted
 * that the platform does not hold (accepted 4 beside 2 entries), and ids skipped those it never gave.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(stateFile: string): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator({ stateFile });
  cleanups.push(() => sim.close());
  return sim;
}

function wireItem(licenseId: string) {
  return {
    key: `${licenseId}:1:province`,
    operation: '01',
    license: {
      zzbs: `1.2.156.3005.2.X.Y.${licenseId}.001.F`,
      zzbh: `NO-${licenseId}`,
      czztdm: '91370211MA3C000000',
      zmxx: { a: 1 },
    },
    signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
  };
}

async function post(url: string, items: unknown[]) {
  const res = await fetch(`${url}/licenses/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { results?: { key: string; status: string; platformId: string | null }[] },
  };
}

async function stats(url: string): Promise<Record<string, number>> {
  return (await (await fetch(`${url}/_sim/stats`)).json()) as Record<string, number>;
}

/**
 * Makes every save of the state file fail while `full` holds a row, as a full disk fails it: the
 * counters' write, the last before the commit, is refused, and the batch's transaction rolls back.
 * Written through a second connection, as another process would.
 */
function failSaves(stateFile: string): { fail(on: boolean): void; close(): void } {
  const db = new Database(stateFile);
  db.exec(`CREATE TABLE full (x);
    CREATE TRIGGER full_insert BEFORE INSERT ON meta WHEN EXISTS (SELECT 1 FROM full)
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
    CREATE TRIGGER full_update BEFORE UPDATE ON meta WHEN EXISTS (SELECT 1 FROM full)
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  return {
    fail: (on) => void db.exec(on ? 'INSERT INTO full VALUES (1)' : 'DELETE FROM full'),
    close: () => {
      if (db.open) db.close();
    },
  };
}

describe('simulator state file: a save that fails', () => {
  it('puts back the counters and platform ids of the batch it did not keep', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-sim-failed-save-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'state.db');
    const sim = await start(stateFile);
    const disk = failSaves(stateFile);
    cleanups.push(async () => disk.close());

    const a = await post(sim.url, [wireItem('lic-1')]);
    expect(a.body.results?.map((r) => r.platformId)).toEqual(['PV000000000001']);

    disk.fail(true);
    const b = await post(sim.url, [wireItem('lic-2'), wireItem('lic-3')]);
    expect(b.status).toBe(500);
    disk.fail(false);

    const c = await post(sim.url, [wireItem('lic-4')]);
    expect(c.status).toBe(200);
    // The id after the last one given to a license the platform holds.
    expect(c.body.results?.map((r) => r.platformId)).toEqual(['PV000000000002']);
    expect(sim.licenses().map((l) => l.licenseId)).toEqual(['lic-1', 'lic-4']);
    // Three requests reached the platform; two licenses were accepted, as the entries say.
    expect(await stats(sim.url)).toMatchObject({ requests: 3, received: 2, accepted: 2 });

    // What the state file kept: a restarted platform counts and numbers as before. (The second
    // connection goes first: the store leaves WAL for a rollback journal as it closes.)
    disk.close();
    await sim.close();
    const again = await start(stateFile);
    expect(await stats(again.url)).toMatchObject({ received: 2, accepted: 2 });
    const d = await post(again.url, [wireItem('lic-5')]);
    expect(d.body.results?.map((r) => r.platformId)).toEqual(['PV000000000003']);
  });
});
