/**
 * `license_versions.identifier` is left empty where the row's license id and version give the
 * identifier (ledger/identifier-column.ts, migration 024), and every version still reads back
 * with the identifier it was written with. An identifier they do not give (a vendor-variant
 * check char) is kept as text and stays unique under the partial index.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const TYPE = '11370200MB1234567X001';
const ISSUER = '11370211MB1234567X';

/** A candidate whose identifier is the standard one of its license id and version. */
function standard(serial: string, pipeline: string, runId: string, content = 'a'): VersionCandidate {
  const base = candidate({ n: 1, pipeline, runId, prefix: serial, content });
  const licenseId = `1.2.156.3005.2.${TYPE}.${ISSUER}.${serial}`;
  return {
    ...base,
    licenseId,
    sourceKey: serial,
    build: (version) => ({
      ...base.build(version),
      identifier: buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial, version }),
    }),
  };
}

/** The GB/T 36904 identifier of version 1 of a license id `root.type.issuer.serial`. */
function standardOf(licenseId: string): string {
  const [typeCode, issuerCode, serial] = licenseId.split('.').slice(-3) as [string, string, string];
  return buildIdentifier({ typeCode, issuerCode, serial, version: 1 });
}

describe.each(BACKENDS)('identifiers the license id and version give ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('ids');
  const runId = uniqueName('run');
  const serials = [0, 1].map(() => `S${randomBytes(6).toString('hex').toUpperCase()}`);
  const page = async (candidates: VersionCandidate[]) =>
    ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
  const columnOf = async (versionId: number) =>
    (await raw('license_versions').where('version_id', versionId).first('identifier')).identifier as string;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('stores none for a standard identifier and reads it back whole, version after version', async () => {
    const first = await page(serials.map((s) => standard(s, pipeline, runId)));
    const second = await page([standard(serials[0] as string, pipeline, runId, 'changed')]);
    const ids = [...first.created, ...second.created].map((c) => c.versionId);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(await columnOf(id)).toBe('');
    const versions = await ledger.getVersions(ids);
    const expected = [
      buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial: serials[0] as string, version: 1 }),
      buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial: serials[1] as string, version: 1 }),
      buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial: serials[0] as string, version: 2 }),
    ];
    expect(versions.map((v) => v.identifier)).toEqual(expected);
    expect(versions.map((v) => v.payload.identifier)).toEqual(expected);
    expect(Object.keys(versions[0]?.payload ?? {})[0]).toBe('identifier');
  });

  it('stores none for the expire version the lifecycle tick writes', async () => {
    const serial = `E${randomBytes(6).toString('hex').toUpperCase()}`;
    const due = standard(serial, pipeline, runId);
    const build = (version: number) => ({ ...due.build(version), validTo: '2026-01-09' });
    // The tick checks the stored text against the content hash its version records.
    await page([{ ...due, build, contentHash: contentHash(build(1)) }]);
    const tickRun = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2026-01-10', runId: tickRun });
    const created = await ledger.expireDue({ pipeline, today: '2026-01-10', runId: tickRun, limit: 100 });
    await ledger.finishLifecycleTick({
      pipeline,
      day: '2026-01-10',
      runId: tickRun,
      expired: created.length,
    });
    const expired = created.find((c) => c.licenseId === due.licenseId);
    if (!expired) throw new Error('the license did not expire');
    expect(await columnOf(expired.versionId)).toBe('');
    const [read] = await ledger.getVersions([expired.versionId]);
    expect(read?.identifier).toBe(
      buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial, version: 2 }),
    );
    expect(read?.payload.identifier).toBe(read?.identifier);
  });

  it('keeps an identifier the row does not give as text, unique under the index', async () => {
    // The fixture's check char is `F`: a serial whose standard check char is another one (one
    // random serial in 36 has `F` as its own, and its identifier would be derived).
    const oddOne = () =>
      candidate({ n: 7, pipeline, runId, prefix: `T${randomBytes(4).toString('hex').toUpperCase()}` });
    let odd = oddOne();
    while (standardOf(odd.licenseId) === odd.build(1).identifier) odd = oddOne();
    const [created] = (await page([odd])).created;
    if (!created) throw new Error('no version created');
    const identifier = odd.build(1).identifier;
    expect(await columnOf(created.versionId)).toBe(identifier);
    const [read] = await ledger.getVersions([created.versionId]);
    expect(read?.identifier).toBe(identifier);

    // A second row with that text breaks the index; a second empty one does not.
    const row = await raw('license_versions').where('version_id', created.versionId).first();
    const { version_id: _id, ...copy } = row as Record<string, unknown>;
    await expect(raw('license_versions').insert({ ...copy, version: 2 })).rejects.toThrow(/unique|UNIQUE/);
    await raw
      .transaction(async (trx) => {
        await trx('license_versions').insert({ ...copy, version: 2, identifier: '' });
        await trx('license_versions').insert({ ...copy, version: 3, identifier: '' });
        await trx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || !/rollback/i.test(error.message)) throw error;
      });
  });
});
