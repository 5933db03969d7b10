/**
 * A batch the province or city simulator fails to store (a write refused part way, as a full disk
 * refuses it, or a save that fails) leaves nothing of itself, in memory or in the state file, and
 * is answered 5xx. The entries written before the refused one stayed in the open transaction: the
 * simulator showed them, the next batch's save committed them, and the client's retry of a batch
 * it was told had failed found them "duplicates" with ids it was never given. A license file or a
 * review the failed batch brought stayed as well. The message gateway, likewise, counted as sent a
 * message it did not keep.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { soapAction, submitEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { startCitySoapSimulator } from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import {
  type ProvinceSimulatorOptions,
  readSimulatorState,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { CITY_NS } from './soap-stand-in.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stateFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-sim-failed-batch-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

function wireItem(licenseId: string, ofd?: Buffer) {
  const zzbs = `1.2.156.3005.2.X.Y.${licenseId}.001.F`;
  return {
    key: `${licenseId}:1:province`,
    operation: '01',
    license: { zzbs, zzbh: `NO-${licenseId}`, czztdm: '91370211MA3C000000', zmxx: { a: 1 } },
    signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
    ...(ofd
      ? {
          ofd: {
            name: `${licenseId}.ofd`,
            size: ofd.length,
            sm3: createHash('sm3').update(ofd).digest('hex'),
            content: ofd.toString('base64'),
          },
        }
      : {}),
  };
}

/** A minimal OFD package naming license `licenseId`'s identifier, as licbridge's files do. */
const ofdOf = (licenseId: string): Buffer =>
  writeZip(
    [
      {
        name: 'OFD.xml',
        data: Buffer.from(
          `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.2" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:CustomDatas><ofd:CustomData Name="identifier">1.2.156.3005.2.X.Y.${licenseId}.001.F</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
        ),
      },
    ],
    new Date('2026-01-02T03:04:05Z'),
  );

type Results = { key: string; status: string; platformId: string | null; duplicate?: boolean }[];

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { results?: Results } };
}

const stats = async (url: string) =>
  (await (await fetch(`${url}/_sim/stats`)).json()) as Record<string, number>;

/**
 * Refuses what `when` (an SQL condition on NEW) names, written into the state file through a
 * second connection, as another process would; `clear()` lifts it. `table` is where the write is
 * refused: `entries` part way through a batch, `meta` at its save, `messages` a gateway's send.
 */
function refuseWrites(file: string, table: 'entries' | 'meta' | 'messages', when: string) {
  const db = new Database(file);
  db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON ${table} WHEN ${when}
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
    CREATE TRIGGER refuse_update BEFORE UPDATE ON ${table} WHEN ${when}
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  const clear = () => {
    if (!db.open) return;
    db.exec('DROP TRIGGER refuse; DROP TRIGGER refuse_update');
    db.close();
  };
  cleanups.push(clear);
  return { clear };
}

async function province(file: string, options: ProvinceSimulatorOptions = {}) {
  const sim = await startProvinceSimulator({ stateFile: file, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

describe('province simulator: a batch it fails to store', () => {
  it('keeps none of it when a write is refused part way, in memory or on disk', async () => {
    const file = await stateFile();
    const sim = await province(file);
    expect((await post(sim.url, '/licenses/batch', { items: [wireItem('lic-1')] })).status).toBe(200);
    const before = await stats(sim.url);

    // The third of four items is refused: two were written before it.
    const disk = refuseWrites(file, 'entries', `NEW.license_id = 'lic-4'`);
    const batch = { items: ['lic-2', 'lic-3', 'lic-4', 'lic-5'].map((id) => wireItem(id, ofdOf(id))) };
    const failed = await post(sim.url, '/licenses/batch', batch);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(sim.licenses().map((l) => l.licenseId)).toEqual(['lic-1']);
    expect(sim.file('lic-2:1:province')).toBeUndefined();
    expect(await stats(sim.url)).toEqual({ ...before, requests: (before.requests ?? 0) + 1 });

    // A batch that saves afterwards commits only itself.
    expect((await post(sim.url, '/licenses/batch', { items: [wireItem('lic-9')] })).status).toBe(200);
    expect(sim.licenses().map((l) => l.licenseId)).toEqual(['lic-1', 'lic-9']);

    // The client's retry is the first time the platform sees those licenses.
    disk.clear();
    const retry = await post(sim.url, '/licenses/batch', batch);
    expect(retry.status).toBe(200);
    expect(retry.body.results?.map((r) => [r.status, r.platformId, r.duplicate ?? false])).toEqual([
      ['accepted', 'PV000000000003', false],
      ['accepted', 'PV000000000004', false],
      ['accepted', 'PV000000000005', false],
      ['accepted', 'PV000000000006', false],
    ]);
    expect(await stats(sim.url)).toMatchObject({ received: 6, accepted: 6, duplicates: 0, files: 4 });

    await sim.close();
    const kept = await readSimulatorState(file);
    expect(kept.entries.map((e) => e.licenseId)).toEqual([
      'lic-1',
      'lic-9',
      'lic-2',
      'lic-3',
      'lic-4',
      'lic-5',
    ]);
  });

  it('keeps no license file of a batch whose save fails', async () => {
    const file = await stateFile();
    const sim = await province(file);
    const disk = refuseWrites(file, 'meta', `NEW.name = 'stats'`);
    const failed = await post(sim.url, '/licenses/batch', { items: [wireItem('lic-1', ofdOf('lic-1'))] });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(sim.licenses()).toEqual([]);
    expect(sim.file('lic-1:1:province')).toBeUndefined();
    disk.clear();
  });

  it('keeps no review of a batch whose save fails: the retry is submitted, not a duplicate', async () => {
    const file = await stateFile();
    const sim = await province(file, { review: { polls: 0 } });
    const disk = refuseWrites(file, 'meta', `NEW.name = 'stats'`);
    const failed = await post(sim.url, '/licenses/batch', { items: [wireItem('lic-1')] });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    disk.clear();

    const status = await post(sim.url, '/licenses/status', { keys: ['lic-1:1:province'] });
    expect(status.body.results?.map((r) => r.status)).toEqual(['unknown']);
    const retry = await post(sim.url, '/licenses/batch', { items: [wireItem('lic-1')] });
    expect(retry.body.results?.map((r) => [r.status, r.platformId, r.duplicate ?? false])).toEqual([
      ['submitted', 'PV000000000001', false],
    ]);
    expect(await stats(sim.url)).toMatchObject({ received: 1, duplicates: 0 });
  });
});

describe('city SOAP simulator: a batch it fails to store', () => {
  it('keeps none of it when a write is refused part way, and answers a Server fault', async () => {
    const file = await stateFile();
    const sim = await startCitySoapSimulator({ stateFile: file });
    cleanups.push(() => sim.close());
    const submit = async (ids: string[]) => {
      const res = await fetch(sim.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', soapaction: soapAction(CITY_NS, 'SubmitLicenses') },
        body: submitEnvelope(
          ids.map((id) => ({ ...wireItem(id), key: `${id}:1:city` })),
          CITY_NS,
        ),
      });
      return { status: res.status, text: await res.text() };
    };
    const disk = refuseWrites(file, 'entries', `NEW.license_id = 'lic-3'`);
    const failed = await submit(['lic-1', 'lic-2', 'lic-3']);
    expect(failed.status).toBe(500);
    expect(failed.text).toContain('Server');
    expect(sim.licenses()).toEqual([]);
    expect(sim.stats()).toMatchObject({ received: 0, accepted: 0 });

    disk.clear();
    const retry = await submit(['lic-1', 'lic-2', 'lic-3']);
    expect(retry.status).toBe(200);
    expect(retry.text).not.toContain('<lic:duplicate>true');
    expect(sim.stats()).toMatchObject({ received: 3, accepted: 3, duplicates: 0 });
    await sim.close();
    expect((await readSimulatorState(file)).entries.map((e) => e.licenseId)).toEqual([
      'lic-1',
      'lic-2',
      'lic-3',
    ]);
  });
});

describe('message gateway simulator: a message it fails to store', () => {
  it('neither keeps nor counts it, and sends it once on the retry', async () => {
    const file = await stateFile();
    const sim = await startGatewaySimulator({ stateFile: file });
    cleanups.push(() => sim.close());
    const send = () =>
      fetch(`${sim.url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'remind-1' },
        body: JSON.stringify({
          channel: 'sms',
          recipient: '13912340001',
          template: 'license-expiry',
          reference: 'lic-1',
          params: { licenseType: 't', number: 'JY1', issuer: 'i', validTo: '2026-03-31', daysLeft: 30 },
        }),
      });
    const disk = refuseWrites(file, 'messages', '1');
    expect((await send()).status).toBeGreaterThanOrEqual(500);
    expect(sim.messages()).toEqual([]);
    expect(sim.stats()).toMatchObject({ sent: 0 });

    disk.clear();
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(sim.messages()).toHaveLength(1);
    expect(sim.stats()).toMatchObject({ sent: 1, replays: 0 });
  });
});
