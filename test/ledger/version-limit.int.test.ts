/**
 * GB/T 36904 numbers a license's versions in 3 digits: a source row changing every day reaches the
 * 1000th in under three years. That version has no identifier; building it threw in the page's
 * transaction and failed the whole page, every run. The row is quarantined instead
 * (`LB_VERSION_LIMIT`, naming the license id and the limit), the license left at version 999, and
 * the rest of the page commits.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { explainedCodes } from '../../pipelines/quarantine-reasons.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';
import { setAt999 } from './version-limit-fixture.js';

const ids = identifierBuilder('11370200MB1234567X001', '11370211MB1234567X');

/** A candidate whose identifier is built as a mapped row's is (mappings/license-mapper.ts). */
function realCandidate(pipeline: string, serial: string, content: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, content });
  const build = (version: number): License => ({
    ...base.build(version),
    identifier: ids.identifier(serial, version),
  });
  // The lifecycle tick checks the stored text against the content hash its version records.
  return {
    ...base,
    licenseId: ids.licenseId(serial),
    sourceKey: `row-${serial}`,
    build,
    contentHash: contentHash(build(1)),
  };
}

describe.each(BACKENDS)('a license at its last version ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  async function commit(pipeline: string, candidates: VersionCandidate[], cursor: string) {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
    return { runId, result };
  }

  async function seedAt999(licenseId: string, validTo?: string): Promise<void> {
    const raw = rawKnex(database.url);
    try {
      await raw('license_versions').where({ license_id: licenseId }).update({ version: 999 });
      await raw('licenses')
        .where({ license_id: licenseId })
        .update({ latest_version: 999, ...(validTo ? { valid_to: validTo } : {}) });
    } finally {
      await raw.destroy();
    }
  }

  it('leaves a due license at version 999 out of the lifecycle tick and quarantines it; the others expire', async () => {
    const pipeline = uniqueName('p');
    const stuck = `X${randomBytes(6).toString('hex').toUpperCase()}`;
    const other = `Y${randomBytes(6).toString('hex').toUpperCase()}`;
    await commit(
      pipeline,
      [realCandidate(pipeline, stuck, 'a'), realCandidate(pipeline, other, 'a')],
      '2024-01-01 00:00:00',
    );
    await seedAt999(ids.licenseId(stuck), '2024-06-01');
    const raw = rawKnex(database.url);
    try {
      await raw('licenses')
        .where({ license_id: ids.licenseId(other) })
        .update({ valid_to: '2024-07-01' });
    } finally {
      await raw.destroy();
    }
    const runId = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2025-01-01', runId });

    const expired = await ledger.expireDue({ pipeline, today: '2025-01-01', runId, limit: 10 });

    expect(expired.map((c) => [c.licenseId, c.version, c.operation])).toEqual([
      [ids.licenseId(other), 2, 'expire'],
    ]);
    const open = await ledger.openQuarantine({ pipeline });
    expect(open.map((q) => [q.sourceKey, q.reasons.map((r) => r.code)])).toEqual([
      [`row-${stuck}`, ['LB_VERSION_LIMIT']],
    ]);
    expect(open[0]?.reasons[0]?.message).toContain(ids.licenseId(stuck));
    expect((await ledger.getRun(runId))?.quarantined).toBe(1);
    // The tick's pages end: the license left out is not selected again.
    expect(await ledger.expireDue({ pipeline, today: '2025-01-01', runId, limit: 10 })).toEqual([]);
  });

  it("keeps the tick's record open when the due license's row is read unchanged", async () => {
    const pipeline = uniqueName('p');
    const stuck = `Z${randomBytes(6).toString('hex').toUpperCase()}`;
    await commit(pipeline, [realCandidate(pipeline, stuck, 'a')], '2024-01-01 00:00:00');
    await seedAt999(ids.licenseId(stuck), '2024-06-01');
    const tick = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2025-01-01', runId: tick });
    await ledger.expireDue({ pipeline, today: '2025-01-01', runId: tick, limit: 10 });
    const openKeys = async () => (await ledger.openQuarantine({ pipeline })).map((q) => q.sourceKey);
    expect(await openKeys()).toEqual([`row-${stuck}`]);

    // The next extraction reads the row as it was: the license still cannot expire.
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: '2024-01-02 00:00:00', key: 'k' }),
      rowsRead: 1,
      candidates: [realCandidate(pipeline, stuck, 'a')],
      quarantined: [],
      mappedOn: { day: '2025-01-01', today: () => '2025-01-01' },
    });

    expect(result.unchanged).toBe(1);
    expect(await openKeys()).toEqual([`row-${stuck}`]);
    const open = await ledger.openQuarantine({ pipeline });
    expect(open[0]?.reasons.map((r) => r.code)).toEqual(['LB_VERSION_LIMIT']);
  });

  it('quarantines the row naming the license and the limit, and commits the rest of the page', async () => {
    const pipeline = uniqueName('p');
    const serial = `V${randomBytes(6).toString('hex').toUpperCase()}`;
    const other = `W${randomBytes(6).toString('hex').toUpperCase()}`;
    await commit(pipeline, [realCandidate(pipeline, serial, 'day-0')], '2024-01-01 00:00:00');
    // Three years of daily changes: version 999 is the latest the ledger holds.
    await setAt999(database.url, serial);

    const { runId, result } = await commit(
      pipeline,
      [realCandidate(pipeline, serial, 'day-1000'), realCandidate(pipeline, other, 'new')],
      '2024-01-02 00:00:00',
    );

    expect(result.created.map((c) => [c.licenseId, c.version])).toEqual([[ids.licenseId(other), 1]]);
    expect(result.quarantined).toBe(1);
    expect((await ledger.getRun(runId))?.quarantined).toBe(1);
    const open = await ledger.openQuarantine({ pipeline });
    expect(open.map((q) => [q.sourceKey, q.reasons.map((r) => r.code)])).toEqual([
      [`row-${serial}`, ['LB_VERSION_LIMIT']],
    ]);
    expect(open[0]?.reasons[0]?.message).toContain(ids.licenseId(serial));
    expect(open[0]?.reasons[0]?.message).toContain('999');
    // The worklist explains it to the clerk in sentences of its own.
    expect(explainedCodes()).toContain('LB_VERSION_LIMIT');
    expect(await ledger.getCheckpoint(pipeline)).toBe(
      encodeKeyPosition({ cursor: '2024-01-02 00:00:00', key: 'k' }),
    );
  });
});
