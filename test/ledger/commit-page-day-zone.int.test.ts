/**
 * A page committed without the day its rows were mapped on (`mappedOn`) judges "today" for itself:
 * whether a license at version 999 read unchanged is still past its `validTo`, so the record the
 * lifecycle tick quarantined it under stays open (version-limit.ts `stillUnexpirable`). It took the
 * UTC date: from 16:00 to 24:00 UTC, the next day in Beijing, a license whose `validTo` was the
 * UTC date (yesterday in Beijing) read as not due, and the tick's record was closed — the license,
 * still unable to expire, left the worklist. The day is now taken in `lifecycle.timeZone`.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { openConfigLedger } from '../../pipelines/config-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const ids = identifierBuilder('11370200MB1234567X001', '11370211MB1234567X');

/** A candidate whose identifier is built as a mapped row's is (mappings/license-mapper.ts). */
function realCandidate(pipeline: string, serial: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, content: 'a' });
  return {
    ...base,
    licenseId: ids.licenseId(serial),
    sourceKey: `row-${serial}`,
    build: (version: number): License => ({
      ...base.build(version),
      identifier: ids.identifier(serial, version),
    }),
  };
}

describe.each(BACKENDS)('a page committed without its mapping day ($name)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await database?.dispose();
  });

  async function commit(
    ledger: Ledger,
    pipeline: string,
    c: VersionCandidate,
    cursor: string,
  ): Promise<number> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const r = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor, key: 'k' }),
      rowsRead: 1,
      candidates: [c],
      quarantined: [],
    });
    return r.unchanged;
  }

  /**
   * A license at version 999 due on `validTo`, quarantined by the tick of `tickDay`, then its row
   * read unchanged by a page committed at `at`: the keys whose records are open after.
   */
  async function readAgainAt(
    ledger: Ledger,
    validTo: string,
    tickDay: string,
    at: string,
  ): Promise<string[]> {
    const pipeline = uniqueName('p');
    const serial = `Z${randomBytes(6).toString('hex').toUpperCase()}`;
    await commit(ledger, pipeline, realCandidate(pipeline, serial), '2024-01-01 00:00:00');
    const raw = rawKnex(database.url);
    try {
      await raw('license_versions')
        .where({ license_id: ids.licenseId(serial) })
        .update({ version: 999 });
      await raw('licenses')
        .where({ license_id: ids.licenseId(serial) })
        .update({ latest_version: 999, valid_to: validTo });
    } finally {
      await raw.destroy();
    }
    const tick = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: tickDay, runId: tick });
    await ledger.expireDue({ pipeline, today: tickDay, runId: tick, limit: 10 });
    const openKeys = async () => (await ledger.openQuarantine({ pipeline })).map((q) => q.sourceKey);
    expect(await openKeys()).toEqual([`row-${serial}`]);

    vi.useFakeTimers({ toFake: ['Date'], now: new Date(at) });
    const unchanged = await commit(ledger, pipeline, realCandidate(pipeline, serial), '2024-01-02 00:00:00');
    vi.useRealTimers();
    expect(unchanged).toBe(1);
    return openKeys();
  }

  it('at 17:00 UTC judges the day in Beijing (the default zone), not the UTC date', async () => {
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      // 2025-01-01T17:00Z is 2025-01-02 01:00 in Beijing: a validTo of 2025-01-01 has passed.
      const open = await readAgainAt(ledger, '2025-01-01', '2025-01-02', '2025-01-01T17:00:00Z');
      expect(open).toHaveLength(1);
    } finally {
      await ledger.close();
    }
  });

  it("judges the day in the config's lifecycle.timeZone", async () => {
    const config = {
      file: 'licbridge.yaml',
      ledger: { url: database.url },
      lifecycle: { timeZone: 'Pacific/Auckland' },
    } as unknown as Config;
    const ledger = await openConfigLedger(config, { logger: quietLogger });
    try {
      // 2025-01-01T12:00Z is 2025-01-02 01:00 in Auckland, still 2025-01-01 in Beijing and UTC.
      const open = await readAgainAt(ledger, '2025-01-01', '2025-01-02', '2025-01-01T12:00:00Z');
      expect(open).toHaveLength(1);
    } finally {
      await ledger.close();
    }
  });

  it('a license not yet past its validTo in the zone has its record closed by the clean read', async () => {
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      // The tick's record of a day ahead (Auckland's) is not kept open by a page judged in Beijing.
      const open = await readAgainAt(ledger, '2025-01-01', '2025-01-02', '2025-01-01T12:00:00Z');
      expect(open).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});
