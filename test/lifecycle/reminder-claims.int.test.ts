/**
 * Claims on pending reminders on both backends (ledger/reminder-claims.ts): two ticks reading the
 * same pending rows at once (BullMQ's stall hand-off, a stalled-out tick queued again) each get a
 * share of them, never the same one; a claim whose tick died is taken once its lease ran out; a
 * recorded outcome or a counted attempt ends the claim.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { clockAfter } from '../../ledger/db-clock.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';

const M032 = MIGRATIONS.find((m) => m.name === '032-reminder-claims');
const M039 = MIGRATIONS.find((m) => m.name === '039-reminder-attempt-day');

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const COUNT = 40;
const LEASE = 60_000;

function license(serial: string, version: number): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo: '2026-03-05',
    areaCode: '370211',
    holder: { name: '海滨小吃店', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['热食类食品制售'] },
  };
}

describe.each(BACKENDS)('reminder claims ($name)', (backend) => {
  let database: TestDatabase;
  /** Two ledgers on one database: two processes' connections, as two ticks have. */
  let a: Ledger;
  let b: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rc-${tag.toLowerCase()}`;
  const serial = (n: number) => `RC${tag}${String(n).padStart(6, '0')}`;
  let keys: string[] = [];
  /** Lets go of the claims the race below left on these keys (each is one of its two ticks'). */
  const free = async (some: readonly string[]): Promise<void> => {
    await a.reminders.release(some, 'tick:a');
    await a.reminders.release(some, 'tick:b');
  };
  const stored = async (key: string) => (await a.reminders.list()).find((r) => r.key === key);
  /** The lease columns of a row, as stored. */
  const leaseOf = async (key: string): Promise<{ owner: string | null; until: boolean }> => {
    const raw = rawKnex(database.url);
    try {
      const row = await raw('reminders').where({ reminder_key: key }).first('claim_owner', 'claimed_until');
      return { owner: row?.claim_owner ?? null, until: row?.claimed_until != null };
    } finally {
      await raw.destroy();
    }
  };
  /**
   * Ends `owner`'s lease on `key` a second ago by the ledger's clock, the one claims judge leases by
   * (db-clock.ts): a lease run out without waiting one out, which a loaded host could not time.
   */
  const expire = async (key: string, owner: string): Promise<void> => {
    const raw = rawKnex(database.url);
    try {
      const ended = await raw('reminders')
        .where({ reminder_key: key, claim_owner: owner })
        .update({ claimed_until: clockAfter({ dialect: backend.name }, raw, -1000) });
      expect(ended).toBe(1);
    } finally {
      await raw.destroy();
    }
  };
  /** Claims `key` for `owner` and lets the lease run out: a tick whose claim ran out mid-send. */
  const runOut = async (key: string, owner: string): Promise<void> => {
    expect((await a.reminders.claim([key], owner, LEASE)).claimed).toEqual([key]);
    await expire(key, owner);
  };

  beforeAll(async () => {
    database = await backend.create();
    a = await openLedger(database.url, { logger: quietLogger });
    b = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await a.startRun({ runId, pipeline, mode: 'incremental' });
    const candidates: VersionCandidate[] = Array.from({ length: COUNT }, (_, i) => {
      const s = serial(i + 1);
      return {
        licenseId: ids.licenseId(s),
        sourceKey: s,
        contentHash: contentHash(license(s, 1)),
        status: 'valid',
        lineage: { pipeline, source: 's', sourceKey: s, runId, catalogVersion: 'c', mappingVersion: 'm' },
        build: (version) => license(s, version),
        contact: { phone: `1390000${String(i + 1).padStart(4, '0')}` },
      };
    });
    await a.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
    const opened = await a.reminders.open(
      candidates.map((c) => ({
        licenseId: c.licenseId,
        version: 1,
        pipeline,
        target: 'sms',
        threshold: 30,
        validTo: '2026-03-05',
        daysLeft: 25,
        dueDay: '2026-02-08',
      })),
    );
    keys = opened.map((r) => r.key);
    expect(keys).toHaveLength(COUNT);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.dispose();
  });

  it('gives each of two ticks racing for the same pending reminders a share, never the same one', async () => {
    const pending = (await b.reminders.pending(1000)).map((r) => r.key);
    expect(pending.sort()).toEqual([...keys].sort());
    // Both ticks read every pending row, then claim them one at a time as they send, at once.
    const claimed: Record<'a' | 'b', string[]> = { a: [], b: [] };
    await Promise.all(
      (['a', 'b'] as const).map(async (tick) => {
        const ledger = tick === 'a' ? a : b;
        const order = tick === 'a' ? pending : [...pending].reverse();
        await Promise.all(
          [0, 1, 2, 3].map(async (w) => {
            for (const key of order.filter((_, i) => i % 4 === w)) {
              const c = await ledger.reminders.claim([key], `tick:${tick}`, LEASE);
              claimed[tick].push(...c.claimed);
            }
          }),
        );
      }),
    );
    const both = claimed.a.filter((k) => claimed.b.includes(k));
    expect(both).toEqual([]);
    expect([...claimed.a, ...claimed.b].sort()).toEqual([...keys].sort());

    // A tick asking again is told who holds what, and how long for; its own claims it keeps.
    const again = await b.reminders.claim(keys, 'tick:b', LEASE);
    expect(again.claimed.sort()).toEqual([...claimed.b].sort());
    expect([...again.held.keys()].sort()).toEqual([...claimed.a].sort());
    for (const left of again.held.values()) {
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(LEASE);
    }
  });

  it('ends a claim with the outcome or the counted attempt', async () => {
    const [sent, tried] = keys as [string, string];
    const holder = (await a.reminders.claim([sent, tried], 'probe', LEASE)).held;
    expect(holder.size).toBe(2);
    await free([sent, tried]);
    expect((await a.reminders.claim([sent, tried], 'tick:p', LEASE)).claimed.sort()).toEqual(
      [sent, tried].sort(),
    );
    await a.reminders.record(
      [{ key: sent, actor: 'target:sms', digest: 'a'.repeat(64), state: 'sent', messageId: 'm-1' }],
      'tick:p',
    );
    await a.reminders.attempt([tried], 'target sms: no answer in time', 'tick:p');
    const next = await b.reminders.claim([sent, tried], 'tick:c', LEASE);
    // The sent one is closed: nobody claims it; the one that failed is free at once.
    expect(next.claimed).toEqual([tried]);
    expect(next.held.size).toBe(0);
  });

  it('takes a claim whose tick died once its lease ran out, and not before', async () => {
    const key = keys[COUNT - 1] as string;
    // Held since the race above: let go for this test.
    await free([key]);
    const dead = await a.reminders.claim([key], 'tick:dead', LEASE);
    expect(dead.claimed).toEqual([key]);
    const early = await b.reminders.claim([key], 'tick:next', LEASE);
    expect(early.claimed).toEqual([]);
    expect(early.held.has(key)).toBe(true);
    await expire(key, 'tick:dead');
    const late = await b.reminders.claim([key], 'tick:next', LEASE);
    expect(late.claimed).toEqual([key]);
    // Taken, it is the new tick's: the dead tick's name no longer holds it.
    expect((await a.reminders.claim([key], 'tick:dead', LEASE)).held.has(key)).toBe(true);
  });

  it('returns tried, not claimed, a reminder whose attempts moved since the claimer read them', async () => {
    const [key, other] = [keys[COUNT - 2] as string, keys[COUNT - 3] as string];
    // Held since the race above: let go for this test.
    await free([key, other]);
    // A tick reads them pending, with their attempts.
    const seen = new Map(
      (await b.reminders.pending(1000))
        .filter((r) => r.key === key || r.key === other)
        .map((r) => [r.key, r.attempts]),
    );
    expect(seen.size).toBe(2);
    // One tick holds `key` and its send fails: the attempt is counted, the lease ended.
    expect((await a.reminders.claim([key], 'tick:a', LEASE)).claimed).toEqual([key]);
    await a.reminders.attempt([key], 'target sms: no answer in time', 'tick:a');
    // The tick that read it before that failure does not take it; the other is unchanged, and claimed.
    const after = await b.reminders.claim([key, other], 'tick:b', LEASE, seen);
    expect(after.tried).toEqual([key]);
    expect(after.claimed).toEqual([other]);
    expect(after.held.size).toBe(0);
    // Released, `other` is free at once; without `seen`, `key` is claimed as any free row.
    await b.reminders.release([other], 'tick:b');
    const next = await a.reminders.claim([key, other], 'tick:c', LEASE);
    expect(next.claimed.sort()).toEqual([key, other].sort());
    await a.reminders.release([key, other], 'tick:c');
  });

  it('releases more keys than one statement binds: the owner and the cleared columns are bound too', async () => {
    const held = [keys[COUNT - 4] as string, keys[COUNT - 5] as string];
    // Held since the race above: let go for this test.
    await free(held);
    expect((await a.reminders.claim(held, 'tick:many', LEASE)).claimed.sort()).toEqual([...held].sort());
    // Both backends' whole budget of bind parameters (SQLite 32,766, PostgreSQL 65,535) less one,
    // as a tick letting go of every reminder it claimed to drop names them all: the held ones last.
    const many = [...Array.from({ length: 65_533 - held.length + 1 }, (_, i) => `none:${i}`), ...held];
    await a.reminders.release(many, 'tick:many');
    const next = await b.reminders.claim(held, 'tick:next', LEASE);
    expect(next.claimed.sort()).toEqual([...held].sort());
    await b.reminders.release(held, 'tick:next');
  });

  it('counts the failed attempt of a tick whose claim ran out and keeps the claim another tick took since', async () => {
    const key = keys[COUNT - 6] as string;
    await free([key]);
    await runOut(key, 'tick:old');
    expect((await b.reminders.claim([key], 'tick:new', LEASE)).claimed).toEqual([key]);
    const before = await stored(key);
    await a.reminders.attempt([key], 'target sms: no answer in time', 'tick:old');
    const after = await stored(key);
    expect(after).toMatchObject({ state: 'pending', attempts: (before?.attempts ?? 0) + 1 });
    // The new holder is still sending it: a third tick does not send it beside that one.
    const third = await a.reminders.claim([key], 'tick:third', LEASE);
    expect(third.claimed).toEqual([]);
    expect(third.held.has(key)).toBe(true);
    // Its own failed attempt ends its claim.
    await b.reminders.attempt([key], 'target sms: no answer in time', 'tick:new');
    expect((await a.reminders.claim([key], 'tick:third', LEASE)).claimed).toEqual([key]);
    await a.reminders.release([key], 'tick:third');
  });

  it('leaves a reminder another tick claimed since to it: a late refusal does not close it', async () => {
    const key = keys[COUNT - 7] as string;
    await free([key]);
    await runOut(key, 'tick:old');
    expect((await b.reminders.claim([key], 'tick:new', LEASE)).claimed).toEqual([key]);
    await a.reminders.record(
      [{ key, actor: 'target:sms', digest: 'a'.repeat(64), state: 'skipped', reason: 'gateway-refused:x' }],
      'tick:old',
    );
    const row = await stored(key);
    expect(row?.state).toBe('pending');
    expect((await a.reminders.claim([key], 'tick:third', LEASE)).held.has(key)).toBe(true);
    // Its holder's answer is recorded.
    await b.reminders.record(
      [{ key, actor: 'target:sms', digest: 'a'.repeat(64), state: 'skipped', reason: 'gateway-refused:x' }],
      'tick:new',
    );
    const closed = await stored(key);
    expect(closed).toMatchObject({ state: 'skipped', reason: 'gateway-refused:x' });
    expect(await leaseOf(key)).toEqual({ owner: null, until: false });
  });

  it("records sent a message the gateway took after the claim ran out, keeping the new holder's claim", async () => {
    const key = keys[COUNT - 8] as string;
    await free([key]);
    await runOut(key, 'tick:old');
    expect((await b.reminders.claim([key], 'tick:new', LEASE)).claimed).toEqual([key]);
    const audit = (await a.verifyAudit()).entries;
    await a.reminders.record(
      [{ key, actor: 'target:sms', digest: 'a'.repeat(64), state: 'sent', messageId: 'm-old' }],
      'tick:old',
    );
    const row = await stored(key);
    expect(row).toMatchObject({ state: 'sent', messageId: 'm-old' });
    // The lease is the new holder's until its own answer is recorded.
    expect(await leaseOf(key)).toEqual({ owner: 'tick:new', until: true });
    // The gateway replays its answer to the new holder: nothing changes but the end of its claim.
    await b.reminders.record(
      [{ key, actor: 'target:sms', digest: 'a'.repeat(64), state: 'sent', messageId: 'm-old' }],
      'tick:new',
    );
    expect(await leaseOf(key)).toEqual({ owner: null, until: false });
    expect((await a.verifyAudit()).entries).toBe(audit + 1);
  });

  it('records sent a message the gateway took after another tick dropped the row', async () => {
    const key = keys[COUNT - 9] as string;
    await free([key]);
    await runOut(key, 'tick:old');
    // Another tick finds it no longer due (its license revoked meanwhile) and drops it.
    expect((await b.reminders.claim([key], 'tick:drop', LEASE)).claimed).toEqual([key]);
    const audit = (await a.verifyAudit()).entries;
    await b.reminders.record(
      [{ key, actor: 'target:sms', digest: 'a'.repeat(64), state: 'dropped', reason: 'license-not-valid' }],
      'tick:drop',
    );
    // The gateway answers the first tick: it took the message.
    await a.reminders.record(
      [
        {
          key,
          actor: 'target:sms',
          digest: 'a'.repeat(64),
          state: 'sent',
          messageId: 'm-late',
          daysLeft: 24,
        },
      ],
      'tick:old',
    );
    const row = await stored(key);
    expect(row).toMatchObject({ state: 'sent', messageId: 'm-late', reason: null, daysLeft: 24 });
    expect(row?.sentAt).not.toBeNull();
    // Sent, it is not made pending again when due again.
    const [again] = await a.reminders.open([
      {
        licenseId: row?.licenseId ?? '',
        version: 1,
        pipeline,
        target: 'sms',
        threshold: 30,
        validTo: '2026-03-05',
        daysLeft: 23,
        dueDay: '2026-02-10',
      },
    ]);
    expect(again?.state).toBe('sent');
    expect((await a.verifyAudit()).entries).toBe(audit + 2);
  });

  it('counts an attempt on more keys than one statement binds: the state, reason, time, day and owner are bound too', async () => {
    const key = keys[COUNT - 10] as string;
    await free([key]);
    const before = await stored(key);
    expect((await a.reminders.claim([key], 'tick:many', LEASE)).claimed).toEqual([key]);
    // More keys than PostgreSQL's 65,535 bind parameters leave beside the attempt's own six (state,
    // reason, time, day, and the owner twice to end its lease): a first statement filled to the last
    // parameter, the held one last (SQLite's 32,766 make three statements).
    const many = [...Array.from({ length: 65_530 }, (_, i) => `none:${i}`), key];
    await a.reminders.attempt(many, 'target sms: no answer in time', 'tick:many', '2026-02-08');
    // The tick's day is stored with the attempt: another tick of that day leaves the reminder alone.
    expect(await stored(key)).toMatchObject({
      attempts: (before?.attempts ?? 0) + 1,
      lastAttemptDay: '2026-02-08',
    });
    expect((await b.reminders.claim([key], 'tick:next', LEASE)).claimed).toEqual([key]);
    await b.reminders.release([key], 'tick:next');
  });

  it('does not drop twice, nor count, a drop whose lease ran out and another tick made', async () => {
    const [k1, k2] = [keys[COUNT - 12] as string, keys[COUNT - 13] as string];
    await free([k1, k2]);
    const drop = (key: string) => ({
      key,
      actor: 'target:sms',
      digest: 'a'.repeat(64),
      state: 'dropped' as const,
      reason: 'license-not-valid',
    });
    // A long drop: its lease runs out before it writes, and another tick claims and drops one row.
    expect((await a.reminders.claim([k1, k2], 'tick:slow', LEASE)).claimed.sort()).toEqual([k1, k2].sort());
    await expire(k1, 'tick:slow');
    await expire(k2, 'tick:slow');
    expect((await b.reminders.claim([k1], 'tick:quick', LEASE)).claimed).toEqual([k1]);
    const audit = (await a.verifyAudit()).entries;
    expect(await b.reminders.record([drop(k1)], 'tick:quick')).toBe(1);
    // The slow tick's write moves (and audits, and counts) only the row nobody took from it.
    expect(await a.reminders.record([drop(k1), drop(k2)], 'tick:slow')).toBe(1);
    expect((await a.verifyAudit()).entries).toBe(audit + 2);
    expect(await stored(k1)).toMatchObject({ state: 'dropped' });
    expect(await stored(k2)).toMatchObject({ state: 'dropped' });
    expect(await leaseOf(k1)).toEqual({ owner: null, until: false });
  });

  it('claims, naming the attempts read, as many keys as one statement binds with its own parameters', async () => {
    const key = keys[COUNT - 11] as string;
    await free([key]);
    const attempts = (await stored(key))?.attempts ?? 0;
    // One key more than PostgreSQL's whole budget of 65,535 bind parameters less the claim's eight
    // (its states, the owner and times it compares and writes, the attempts): a first statement
    // filled to the last parameter, on SQLite (32,766) too. The held one last.
    const many = [...Array.from({ length: 65_528 - 1 }, (_, i) => `none:${i}`), key];
    const seen = new Map(many.map((k) => [k, attempts]));
    expect((await a.reminders.claim(many, 'tick:many', LEASE, seen)).claimed).toEqual([key]);
    await a.reminders.release([key], 'tick:many');
  });

  it('reads the pending rows tried on the given day after all others (migration 039)', async () => {
    const first = (await a.reminders.pending(1))[0]?.key as string;
    await a.reminders.attempt([first], 'target sms: no answer in time', 'tick:day', '2026-02-09');
    // Another day's tick reads it after the rows not tried since (reminders-pending-starved); that
    // day's own reads it last.
    expect((await a.reminders.pending(1, '2026-02-10'))[0]?.key).not.toBe(first);
    expect((await a.reminders.pending(1, '2026-02-09'))[0]?.key).not.toBe(first);
    const all = await a.reminders.pending(1000, '2026-02-09');
    expect(all.at(-1)).toMatchObject({ key: first, lastAttemptDay: '2026-02-09' });
  });

  it('down drops the lease columns (032) and the attempt day (039) and keeps the rows and their indexes; up brings them back', async () => {
    await a.close();
    await b.close();
    const raw = rawKnex(database.url);
    try {
      const indexes = async (): Promise<string[]> =>
        database.url.startsWith('sqlite://')
          ? (
              await raw.raw("select name from sqlite_master where type = 'index' and tbl_name = 'reminders'")
            ).map((r: { name: string }) => r.name)
          : (
              await raw.raw(
                "select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'reminders'",
              )
            ).rows.map((r: { name: string }) => r.name);
      const before = (await indexes()).sort();
      const count = async () => Number((await raw('reminders').count({ n: '*' }))[0]?.n);
      const rows = await count();
      expect(rows).toBe(COUNT);
      await M032?.down(raw);
      const columns = Object.keys(await raw('reminders').columnInfo());
      expect(columns).not.toContain('claim_owner');
      expect(columns).not.toContain('claimed_until');
      expect(await count()).toBe(rows);
      expect((await indexes()).sort()).toEqual(before);
      await M032?.up(raw);
      expect(Object.keys(await raw('reminders').columnInfo())).toContain('claimed_until');
      // 039 the same way, on rows that hold a day (the attempt above): down keeps the rows and
      // indexes, and up gives every row a day of none (nullable, no default), tried by the next tick.
      const withDay = await raw('reminders').whereNotNull('last_attempt_day').count({ n: '*' });
      expect(Number(withDay[0]?.n)).toBeGreaterThan(0);
      await M039?.down(raw);
      expect(Object.keys(await raw('reminders').columnInfo())).not.toContain('last_attempt_day');
      expect(await count()).toBe(rows);
      expect((await indexes()).sort()).toEqual(before);
      await M039?.up(raw);
      expect(await count()).toBe(rows);
      expect(Number((await raw('reminders').whereNull('last_attempt_day').count({ n: '*' }))[0]?.n)).toBe(
        rows,
      );
    } finally {
      await raw.destroy();
    }
    a = await openLedger(database.url, { logger: quietLogger });
    b = await openLedger(database.url, { logger: quietLogger });
    // The leases the race above took went with the columns: a pending row is free again.
    expect((await a.reminders.claim([keys[2] as string], 'tick:after', LEASE)).claimed).toHaveLength(1);
  });
});
