/**
 * Reminder leases by the ledger's clock, not each tick's host's (ledger/db-clock.ts), on both
 * ledger backends. Before, a lease's end was written with the writer's clock and judged with the
 * reader's: a tick on a host 10 minutes ahead took a reminder a live tick was sending and sent it
 * again under the same key, and one 10 minutes behind waited 10 minutes past a lease that had run
 * out. A tick told a reminder is held is told how long the lease has left, by the ledger's clock:
 * an end to wait for on its own clock would be off by as much as that clock is. Each host here is
 * this process with `Date` faked; a lease running out is its end moved back in the database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases, atHost, SKEW_MS } from '../ledger/clock-skew.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const COUNT = 4;
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

describe.each(BACKENDS)('reminder leases by the ledger clock, hosts 10 minutes apart ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rs-${tag.toLowerCase()}`;
  const serial = (n: number) => `RS${tag}${String(n).padStart(6, '0')}`;
  let keys: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
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
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
    const opened = await ledger.reminders.open(
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

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('a tick 10 minutes ahead takes nothing a live tick 10 minutes behind holds, and is told the time it has left', async () => {
    const key = keys[0] as string;
    // The ledger's clock is this machine's: the two claims read it between these two readings.
    const before = Date.now();
    await atHost(-SKEW_MS, async () => {
      expect((await ledger.reminders.claim([key], 'tick:behind', LEASE)).claimed).toEqual([key]);
    });
    const other = await atHost(SKEW_MS, () => ledger.reminders.claim([key], 'tick:ahead', LEASE));
    const after = Date.now();
    expect(other.claimed).toEqual([]);
    // The whole lease less what went by between the claims, whatever either host's clock says
    // (2 ms for the clocks' readings cut to whole ms).
    const left = other.held.get(key);
    expect(left).toBeGreaterThanOrEqual(LEASE - (after - before) - 2);
    expect(left).toBeLessThanOrEqual(LEASE);
  });

  it('a lease of a tick 10 minutes ahead that ran out by the ledger is taken by a tick 10 minutes behind', async () => {
    const key = keys[1] as string;
    await atHost(SKEW_MS, async () => {
      expect((await ledger.reminders.claim([key], 'tick:ahead', LEASE)).claimed).toEqual([key]);
    });
    expect(
      await ageLeases(database.url, 'reminders', LEASE + 1000, (q) => q.where('reminder_key', key)),
    ).toBe(1);
    await atHost(-SKEW_MS, async () => {
      expect((await ledger.reminders.claim([key], 'tick:behind', LEASE)).claimed).toEqual([key]);
    });
    // Now the tick behind holds it, live, against a tick ahead.
    await atHost(SKEW_MS, async () => {
      expect((await ledger.reminders.claim([key], 'tick:ahead', LEASE)).claimed).toEqual([]);
    });
  });
});
