/**
 * An LB_VERSION_LIMIT record (a license at version 999 whose row changed again) stays open while
 * the row stays changed: its advice, issuing the change under a new number, leaves the row as it
 * is, and every run that read the change added a record of its own, older ones left open beside the
 * newest. Nothing closed them: the worklist and `status` named the key as still to fix for good.
 * A person now closes them (`quarantine resolve`): every open record's LB_VERSION_LIMIT reason, older
 * duplicates included; another code's reason keeps its record open; one audit entry records it.
 * On both backends.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const ids = identifierBuilder('11370200MB1234567X001', '11370211MB1234567X');

function realCandidate(pipeline: string, serial: string, content: string): VersionCandidate {
  const base = candidate({ n: 1, pipeline, content });
  const build = (version: number): License => ({
    ...base.build(version),
    identifier: ids.identifier(serial, version),
  });
  return { ...base, licenseId: ids.licenseId(serial), sourceKey: `row-${serial}`, build };
}

describe.each(BACKENDS)('resolving an LB_VERSION_LIMIT key by hand ($name)', (backend) => {
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

  let cursor = 0;
  async function sync(pipeline: string, candidates: VersionCandidate[]) {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    cursor++;
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: `c${cursor}`, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
    return runId;
  }

  /** A license at version 999 whose row two runs read changed: two open LB_VERSION_LIMIT records. */
  async function atLimit() {
    const pipeline = uniqueName('p');
    const serial = `V${randomBytes(6).toString('hex').toUpperCase()}`;
    const first = await sync(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    const raw = rawKnex(database.url);
    try {
      await raw('license_versions')
        .where({ license_id: ids.licenseId(serial) })
        .update({ version: 999 });
      await raw('licenses')
        .where({ license_id: ids.licenseId(serial) })
        .update({ latest_version: 999 });
    } finally {
      await raw.destroy();
    }
    await sync(pipeline, [realCandidate(pipeline, serial, 'day-1000')]);
    const second = await sync(pipeline, [realCandidate(pipeline, serial, 'day-1001')]);
    return { pipeline, serial, key: `row-${serial}`, first, second };
  }

  const openRecords = async (pipeline: string, key: string) =>
    (await ledger.quarantineHistory({ pipeline, sourceKey: key })).filter((r) => r.resolvedAt === null);

  it('closes every open record of the key, the older one too, and audits it once', async () => {
    const { pipeline, serial, key } = await atLimit();
    expect(await openRecords(pipeline, key)).toHaveLength(2);
    const [entry] = await ledger.openQuarantine({ pipeline });
    expect(entry?.timesSeen).toBe(2);
    const headBefore = (await ledger.auditHeadSeq()) ?? 0;

    expect(await ledger.resolveVersionLimit({ pipeline, sourceKey: key })).toEqual({
      records: 2,
      keptOpen: 0,
      licenseId: ids.licenseId(serial),
    });
    expect(await ledger.openQuarantine({ pipeline })).toEqual([]);
    expect(await openRecords(pipeline, key)).toEqual([]);
    const entries = await ledger.readAudit({ afterSeq: headBefore });
    expect(entries.map((e) => [e.action, e.licenseId])).toEqual([
      ['quarantine-resolve', ids.licenseId(serial)],
    ]);
    expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({ code: 'LB_VERSION_LIMIT', records: 2 });

    // Nothing open of that code any more: nothing to close, nothing audited.
    expect(await ledger.resolveVersionLimit({ pipeline, sourceKey: key })).toMatchObject({ records: 0 });
    expect(await ledger.readAudit({ afterSeq: headBefore })).toHaveLength(1);
  });

  it("keeps a record open for another code's reason", async () => {
    const { pipeline, key, first, second } = await atLimit();
    // A sign job met the stored text of version 999 corrupt: its reason joins the newest record.
    const [versionId] = await ledger.runVersionIds(first);
    await ledger.quarantineStoredText({
      pipeline,
      runId: second,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: [{ versionId: versionId as number, problem: 'its stored text does not read' }],
    });

    expect(await ledger.resolveVersionLimit({ pipeline, sourceKey: key })).toMatchObject({
      records: 2,
      keptOpen: 1,
    });
    expect(
      (await ledger.openQuarantine({ pipeline })).map((e) => [e.sourceKey, e.reasons.map((r) => r.code)]),
    ).toEqual([[key, ['LB_STORED_TEXT']]]);
  });
});
