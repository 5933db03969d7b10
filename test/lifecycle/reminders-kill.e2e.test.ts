/**
 * Expiry reminders through the built command, with thresholds [30, 7]: a department whose legacy
 * table carries the holder's mobile number (LXDH) is synced, then `licbridge lifecycle run` is
 * SIGKILLed in the middle of sending its reminders and run again, twice on one day and once ten
 * days later. The gateway simulator sends exactly one message per (license, threshold) — the ones
 * the dates say, worked out here from the rows and what the province platform holds — and no log
 * line, Redis key or report holds a phone number or a holder's name. Needs `npm run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';
import type { StoredLicense } from '../../adapters/simulators/province/state-store.js';
import { zonedTime } from '../../core/zoned-time.js';
import { BIN, type CliResult, licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const TYPE = '11370200MB12345674001';
const D1 = '2027-06-01';
const D2 = '2027-06-11';
const GW = { appKey: 'gw-app', secret: 'gw-secret-for-tests' };

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysFrom = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** Row id → days from D1 to its validTo: 0..44, spread over the rows. */
const offsetOf = (id: number) => (id * 7) % 45;
/** Row id → its holder's mobile number; every tenth row has none. */
const phoneOf = (id: number) => (id % 10 === 3 ? null : `1380013${String(id).padStart(4, '0')}`);
const norm = (s: string) => s.normalize('NFKC').trim().toUpperCase();

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('expiry reminders across repeated ticks and a SIGKILL', () => {
  let ws: DemoWorkspace;
  let gateway: GatewaySimulator;
  let configFile: string;
  const outputs: CliResult[] = [];
  const rows = new Map<string, { id: number; phone: string | null; holder: string }>();
  const env = { LICBRIDGE_LOG_LEVEL: 'info', LICBRIDGE_LOG_FORMAT: 'json' };

  async function run(args: string[], timeoutMs = 120_000): Promise<CliResult> {
    const r = await licbridge([...args, '--config', configFile], { env, timeoutMs });
    outputs.push(r);
    return r;
  }

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 13 });
    // The legacy table gains the holder's mobile number, and every license a validTo near D1.
    const db = new Database(ws.legacyDb);
    try {
      db.exec('ALTER TABLE T_SPXK_XKZ ADD COLUMN LXDH TEXT');
      const all = db.prepare('SELECT ID, XKZBH, JYZMC, FDDBR FROM T_SPXK_XKZ').all() as {
        ID: number;
        XKZBH: string;
        JYZMC: string;
        FDDBR: string;
      }[];
      const update = db.prepare('UPDATE T_SPXK_XKZ SET YXQZ = ?, LXDH = ? WHERE ID = ?');
      for (const r of all) {
        update.run(addDays(D1, offsetOf(r.ID)).replaceAll('-', ''), phoneOf(r.ID), r.ID);
        rows.set(norm(String(r.XKZBH ?? '')), {
          id: r.ID,
          phone: phoneOf(r.ID),
          holder: String(r.JYZMC ?? ''),
        });
        rows.set(`person:${r.ID}`, { id: r.ID, phone: null, holder: String(r.FDDBR ?? '') });
      }
    } finally {
      db.close();
    }
    const mapping = join(ws.dir, 'mappings', 'food-business-license.yaml');
    await writeFile(
      mapping,
      `${(await readFile(mapping, 'utf8')).trimEnd()}\n  contact.phone: { from: LXDH, transform: [trim] }\n`,
    );
    // A little latency per message, as a real gateway has. Where the tick dies does not hang on
    // it: the crash point (below) kills it after a given answer, and the target sends one at a time.
    gateway = await startGatewaySimulator({ auth: GW, faults: { latencyMs: 20 } });
    configFile = join(ws.dir, 'reminders.yaml');
    await writeFile(
      configFile,
      `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}  holder-sms:
    kind: notify
    url: "${gateway.url}"
    auth: { scheme: hmac, appKey: ${GW.appKey}, secret: ${GW.secret} }
    concurrency: 1
    attempts: 2
    backoffMs: 50
    # A killed tick's claim on a reminder lasts one send's budget (attempts × timeoutMs, the
    # backoff, + 5 s): the run after a kill waits it out, 9.1 s here rather than 25 s with the
    # default timeout. A message takes ~20 ms, but the gateway answers from the test's process,
    # which a full suite may pause for seconds: at 750 ms a pause of 1.6 s timed out both attempts
    # and failed the reminder; at 2 s it takes 4 s.
    timeoutMs: 2000
lifecycle:
  reminders:
    ${TYPE}: { target: holder-sms, thresholds: [30, 7] }
`,
    );
    const synced = await run(['run', '--all', '--json'], 180_000);
    expect(synced.status, synced.stderr).toBe(0);
  });

  afterAll(async () => {
    await gateway?.close();
    await ws?.cleanup();
  });

  /** What the province platform holds: each license's number, validTo and whether it is valid. */
  function atProvince(): { number: string; validTo: string; valid: boolean }[] {
    const latest = new Map<string, StoredLicense>();
    for (const l of ws.simulator.licenses()) {
      const seen = latest.get(l.licenseId);
      if (!seen || seen.version < l.version) latest.set(l.licenseId, l);
    }
    return [...latest.values()].map((l) => {
      const to = String(l.license.yxqjzrq);
      return {
        number: String(l.license.zzbh),
        validTo: `${to.slice(0, 4)}-${to.slice(4, 6)}-${to.slice(6, 8)}`,
        valid: l.license.zzzt === '01',
      };
    });
  }

  /** `number@threshold` of the reminders due on `day` by the dates alone, given those due on `before`. */
  function expectedOn(day: string, already: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const l of atProvince()) {
      const row = rows.get(norm(l.number));
      if (!l.valid || !row?.phone) continue;
      const left = daysFrom(day, l.validTo);
      if (left < 0 || left > 30) continue;
      const t = left <= 7 ? 7 : 30;
      if (already.has(`${l.number}@7`) || already.has(`${l.number}@${t}`)) continue;
      out.push(`${l.number}@${t}`);
    }
    return out;
  }

  const received = () => gateway.messages().map((m) => `${m.params.number}@${m.reference.split(':').at(-1)}`);

  it('sends each due reminder once across a SIGKILL mid-tick and a second run on the same day', async () => {
    const expected = expectedOn(D1, new Set());
    // Enough reminders that the kill lands among them.
    expect(expected.length).toBeGreaterThan(10);
    // The tick kills itself right after the gateway answered its 4th reminder, before the ledger
    // records it sent (core/crash-point.ts): that message is in flight at the crash by construction.
    const child = spawn(process.execPath, [BIN, 'lifecycle', 'run', '--today', D1, '--config', configFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env, LICBRIDGE_TEST_CRASH_AT: 'reminder-answered:4' },
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    await exited(child);
    outputs.push({ status: child.exitCode, stdout: '', stderr });
    expect(child.signalCode, stderr).toBe('SIGKILL');
    // Four answered; the gateway may have taken a fifth in parallel (targets send concurrently).
    expect(gateway.stats().requests).toBeGreaterThanOrEqual(4);
    expect(gateway.stats().requests).toBeLessThan(expected.length);

    const again = await run(['lifecycle', 'run', '--today', D1, '--json']);
    expect(again.status, again.stderr).toBe(0);
    // The message in flight when the process died reached the gateway; its re-send was a replay.
    expect(gateway.stats().replays).toBeGreaterThanOrEqual(1);
    expect(received().sort()).toEqual([...expected].sort());
    expect(new Set(received()).size).toBe(received().length);

    if (process.env.LB_TEST_LOG)
      process.stderr.write(`D1: ${expected.length} due, gateway ${JSON.stringify(gateway.stats())}\n`);
    const third = await run(['lifecycle', 'run', '--today', D1, '--json']);
    expect(third.status, third.stderr).toBe(0);
    expect(received()).toHaveLength(expected.length);
    expect(JSON.parse(third.stdout).reminders).toMatchObject({ today: D1, due: 0, sent: 0, failed: 0 });
  });

  it('ten days later sends the 7-day reminders and the newly due 30-day ones, once', async () => {
    const before = new Set(received());
    const expected = expectedOn(D2, before);
    expect(expected.some((e) => e.endsWith('@7'))).toBe(true);
    const r = await run(['lifecycle', 'run', '--today', D2, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const now = received();
    expect(now.filter((m) => !before.has(m)).sort()).toEqual([...expected].sort());
    expect(JSON.parse(r.stdout).reminders).toMatchObject({
      today: D2,
      due: expected.length,
      sent: expected.length,
    });
    expect(new Set(now).size).toBe(now.length);
    const again = await run(['lifecycle', 'run', '--today', D2, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(received()).toHaveLength(now.length);
  });

  it('status needs a person for a reminder a gateway has not taken for a day', async () => {
    const ok = await run(['status', '--no-sources']);
    expect(ok.stdout).not.toContain('expiry reminders:');
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      const l = db
        .prepare("SELECT license_id, latest_version, valid_to FROM licenses WHERE status = 'valid' LIMIT 1")
        .get() as {
        license_id: string;
        latest_version: number;
        valid_to: string;
      };
      db.prepare(
        `INSERT INTO reminders (reminder_key, license_id, version, pipeline, target, threshold, valid_to, days_left, due_day, state, attempts, created_at, updated_at)
         VALUES (?, ?, ?, 'food-business-licenses', 'holder-sms', 99, ?, 1, ?, 'pending', 3, ?, ?)`,
      ).run(
        `${l.license_id}:${l.latest_version}:99`,
        l.license_id,
        l.latest_version,
        l.valid_to,
        D1,
        since,
        since,
      );
    } finally {
      db.close();
    }
    const late = await run(['status', '--no-sources']);
    expect(late.status, late.stdout).toBe(3);
    // On the clock of lifecycle.timeZone (the demo's: the default, Asia/Shanghai), as status's other times.
    expect(late.stdout).toContain(
      `expiry reminders: 1 pending at target holder-sms since ${zonedTime(since, 'Asia/Shanghai')};`,
    );
  });

  it('lists what was sent; no log, report or Redis key holds a phone number or a holder name', async () => {
    const list = await run(['lifecycle', 'reminders', '--json', '--today', D2]);
    expect(list.status, list.stderr).toBe(0);
    const doc = JSON.parse(list.stdout) as { counts: { sent: number }; reminders: { state: string }[] };
    expect(doc.counts.sent).toBe(received().length);
    const text = await run(['lifecycle', 'reminders', '--today', D2]);
    expect(text.stdout).toMatch(
      new RegExp(`^expiry reminders as of ${D2} \\(Asia/Shanghai\\): ${received().length} sent`),
    );

    const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
    let stored = '';
    try {
      const keys = await redis.keys(`${ws.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) stored += `${key}\n${await valuesOf(redis, key)}\n`;
    } finally {
      redis.disconnect();
    }
    const written = `${outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n')}\n${stored}`;
    expect(written).toContain('lifecycle: expiry reminders');
    const phones = [...rows.values()].flatMap((r) => (r.phone ? [r.phone] : []));
    const names = [...rows.values()].map((r) => r.holder).filter((n) => n.length >= 2);
    expect(phones.length).toBeGreaterThan(40);
    for (const p of phones) expect(written.includes(p), `phone ${p}`).toBe(false);
    for (const n of names) expect(written.includes(n), `name ${n}`).toBe(false);
  });
});

/** Everything a key holds, read by its type, and its DUMP: a job's data is a hash field. */
async function valuesOf(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  const parts: string[] = [(await redis.dumpBuffer(key))?.toString('utf8') ?? ''];
  if (type === 'string') parts.push((await redis.get(key)) ?? '');
  else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
  else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
  else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
  else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
  else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  return parts.join('\n');
}
