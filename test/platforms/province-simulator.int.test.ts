import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const running: ProvinceSimulator[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function start(options: Parameters<typeof startProvinceSimulator>[0] = {}): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator(options);
  running.push(sim);
  return sim;
}

/** A wire item written by hand, so these tests do not depend on the adapter's payload code. */
function wireItem(licenseId: string, version: number, fields: Record<string, unknown> = {}) {
  return {
    key: `${licenseId}:${version}:province`,
    operation: version === 1 ? '01' : '09',
    license: {
      zzbs: `1.2.156.3005.2.X.Y.${licenseId}.00${version}.F`,
      zzbh: `NO-${licenseId}`,
      czzt: '欧阳秀英',
      czztdm: '370211199001011234',
      zmxx: { a: 1 },
      ...fields,
    },
    signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
  };
}

interface WireResult {
  key: string;
  status: string;
  platformId: string | null;
  errors: string[];
  duplicate?: boolean;
}

/** The simulator's answers, loosely: each test reads the part its endpoint returns. */
interface SimBody {
  results: WireResult[];
  items: Array<{ key: string; license: Record<string, unknown> }>;
  latestVersion: number;
  current: { key: string };
  versions: Array<{ version: number }>;
  [field: string]: unknown;
}

async function post(url: string, items: unknown[]): Promise<{ status: number; body: SimBody }> {
  const res = await fetch(`${url}/licenses/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  return { status: res.status, body: (await res.json()) as SimBody };
}

async function get(url: string, path: string): Promise<{ status: number; body: SimBody }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as SimBody };
}

describe('province simulator: idempotent batch upload', () => {
  it('stores a key once and answers a re-sent key with the same platform id', async () => {
    const sim = await start();
    const first = await post(sim.url, [wireItem('lic-1', 1)]);
    const second = await post(sim.url, [wireItem('lic-1', 1)]);

    expect(first.status).toBe(200);
    expect(first.body.results[0]).toMatchObject({ key: 'lic-1:1:province', status: 'accepted', errors: [] });
    expect(second.body.results[0]?.status).toBe('accepted');
    expect(second.body.results[0]?.duplicate).toBe(true);
    expect(second.body.results[0]?.platformId).toBe(first.body.results[0]?.platformId);
    expect(sim.licenses()).toHaveLength(1);
    expect(sim.stats()).toMatchObject({ received: 2, accepted: 1, duplicates: 1, rejected: 0, requests: 2 });
  });

  it('counts a key repeated inside one batch as a duplicate', async () => {
    const sim = await start();
    const { body } = await post(sim.url, [wireItem('lic-1', 1), wireItem('lic-1', 1)]);
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(sim.licenses()).toHaveLength(1);
    expect(sim.stats().duplicates).toBe(1);
  });

  it('rejects items missing identifier, number or holder id, naming the fields but not the values', async () => {
    const sim = await start();
    const { status, body } = await post(sim.url, [
      wireItem('lic-1', 1, { zzbh: '', czztdm: undefined }),
      wireItem('lic-2', 1, { zzbs: '   ' }),
      wireItem('lic-3', 1),
    ]);
    expect(status).toBe(200);
    const [a, b, c] = body.results;
    expect(a).toMatchObject({ key: 'lic-1:1:province', status: 'rejected', platformId: null });
    expect(a?.errors).toEqual(['zzbh: required (number)', 'czztdm: required (holder id)']);
    expect(b?.errors).toEqual(['zzbs: required (identifier)']);
    expect(c?.status).toBe('accepted');
    expect(JSON.stringify(body)).not.toContain('欧阳秀英');
    expect(sim.stats()).toMatchObject({ received: 3, accepted: 1, rejected: 2 });
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-3:1:province']);
  });

  it('answers a malformed request with 400 and counts nothing as received', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/licenses/batch`, { method: 'POST', body: '{"items": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 400, reason: 'bad-json' });
    expect(sim.stats().received).toBe(0);
  });
});

describe('province simulator: versions and lookups', () => {
  it('counts a lower version arriving after a higher one as out of order and keeps the higher as current', async () => {
    const sim = await start();
    await post(sim.url, [wireItem('lic-7', 2)]);
    const late = await post(sim.url, [wireItem('lic-7', 1)]);
    await post(sim.url, [wireItem('lic-7', 3)]);

    expect(late.body.results[0]?.status).toBe('accepted');
    expect(sim.stats()).toMatchObject({ accepted: 3, outOfOrder: 1, duplicates: 0 });
    const one = await get(sim.url, '/licenses/lic-7');
    expect(one.status).toBe(200);
    expect(one.body.latestVersion).toBe(3);
    expect(one.body.current.key).toBe('lic-7:3:province');
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    // The platform keeps one id per license across its versions.
    expect(new Set(sim.licenses().map((l) => l.platformId)).size).toBe(1);
  });

  it('finds entries by identifier and answers 404 for an unknown license', async () => {
    const sim = await start();
    await post(sim.url, [wireItem('lic-1', 1), wireItem('lic-2', 1)]);
    const found = await get(
      sim.url,
      `/licenses?identifier=${encodeURIComponent('1.2.156.3005.2.X.Y.lic-2.001.F')}`,
    );
    expect(found.body.items.map((i: { key: string }) => i.key)).toEqual(['lic-2:1:province']);
    expect(found.body.items[0]?.license.zzbh).toBe('NO-lic-2');
    const missing = await get(sim.url, '/licenses/lic-404');
    expect(missing.status).toBe(404);
  });

  it('reports its counters on /_sim/stats without counting that request', async () => {
    const sim = await start();
    await post(sim.url, [wireItem('lic-1', 1)]);
    const { body } = await get(sim.url, '/_sim/stats');
    expect(body).toEqual({
      received: 1,
      accepted: 1,
      rejected: 0,
      duplicates: 0,
      outOfOrder: 0,
      requests: 1,
      faultsInjected: 0,
    });
  });
});

describe('province simulator: persistence', () => {
  it('still knows accepted keys after a restart and counts them as duplicates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-province-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');

    const first = await startProvinceSimulator({ stateFile });
    const before = await post(first.url, [wireItem('lic-1', 1), wireItem('lic-2', 1)]);
    await first.close();

    const second = await start({ stateFile });
    expect(
      second
        .licenses()
        .map((l) => l.key)
        .sort(),
    ).toEqual(['lic-1:1:province', 'lic-2:1:province']);
    const again = await post(second.url, [wireItem('lic-1', 1), wireItem('lic-3', 1)]);
    expect(again.body.results[0]?.platformId).toBe(before.body.results[0]?.platformId);
    // A new license gets a fresh platform id, not one handed out before the restart.
    const ids = [...before.body.results, ...again.body.results].map((r) => r.platformId);
    expect(new Set(ids).size).toBe(3);
    expect(second.stats()).toMatchObject({ received: 4, accepted: 3, duplicates: 1 });
    expect(second.licenses()).toHaveLength(3);
    // Closed, the database is the one file: no journal or temporary files are left beside it.
    await second.close();
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('keeps every batch of concurrent uploads across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-province-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const first = await startProvinceSimulator({ stateFile });
    await Promise.all(Array.from({ length: 12 }, (_, i) => post(first.url, [wireItem(`lic-${i}`, 1)])));
    await first.close();

    const second = await start({ stateFile });
    expect(second.licenses()).toHaveLength(12);
    expect(second.stats()).toMatchObject({ received: 12, accepted: 12, requests: 12 });
  });

  it('refuses to start on a corrupt state file instead of forgetting what it held', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-province-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(stateFile, '{"format":1,"entr');
    await expect(startProvinceSimulator({ stateFile })).rejects.toThrow(/state file .* is not JSON/);
  });
});

describe('province simulator: faults', () => {
  it('gives the same 503 sequence for the same seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const sim = await start({ faults: { errorRate: 0.5, seed: 42 } });
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await fetch(`${sim.url}/licenses`)).status);
      expect(sim.stats().faultsInjected).toBe(out.filter((s) => s === 503).length);
      return out;
    };
    const a = await statuses();
    const b = await statuses();
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it('holds a request open until close, and close ends it', async () => {
    const sim = await startProvinceSimulator({ faults: { timeoutRate: 1 } });
    const pending = fetch(`${sim.url}/licenses`).then(
      () => 'answered',
      () => 'connection ended',
    );
    // Wait until the simulator has the request, then close while it is held.
    while (sim.stats().requests === 0) await new Promise((r) => setTimeout(r, 5));
    await sim.close();
    expect(await pending).toBe('connection ended');
    expect(sim.stats().faultsInjected).toBe(1);
  });
});

describe('province simulator: keep-alive', () => {
  it('keeps an idle keep-alive connection past Node’s 5 s, so a client pausing that long reuses it', async () => {
    const sim = await start();
    const agent = new Agent({ keepAlive: true });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(`${sim.url}/_sim/stats`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      // Past Node's default keepAliveTimeout: a server closing idle sockets at 5 s has closed it.
      await new Promise((r) => setTimeout(r, 6000));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
