/**
 * PostgreSQL: a page's versions and the contexts they name are written by one statement
 * (ledger/pg-versions-insert.ts), and what it writes is what the three statements before it wrote:
 * versions in page order (a license twice in a page: version 1, then 2, ids in that order), each
 * naming its context, a context made once and found again by a later run, and a page holding a
 * lone surrogate (which PostgreSQL's JSON reading refuses) stored and read back as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, candidates, commitOnePage, uniqueName } from './fixtures.js';
import { recordPgStatements, statementsOf, stopRecordingPgStatements } from './pg-statements.js';
import { rawKnex } from './raw-knex.js';

describe('versions and their contexts in one statement (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('pgv');

  const commit = (runId: string, page: VersionCandidate[]) => commitOnePage(ledger, pipeline, runId, page);

  beforeAll(async () => {
    recordPgStatements();
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
    stopRecordingPgStatements();
  });

  it('writes a page in order with its contexts, and no statement of its own for them', async () => {
    const runId = uniqueName('run');
    const page = candidates(1, 3, { pipeline, runId });
    // The first license again with other content: its version 2, after its version 1.
    page.push(candidate({ n: 1, pipeline, runId, content: 'b' }));
    // Another catalog version: another context.
    const other = candidate({ n: 4, pipeline, runId });
    page.push({ ...other, lineage: { ...other.lineage, catalogVersion: 'c2' } });
    let created: { versionId: number; licenseId: string; version: number }[] = [];
    const { texts } = await statementsOf(async () => {
      created = (await commit(runId, page)).created;
    });
    expect(texts.filter((t) => t.includes('version_contexts') && !t.includes('license_versions'))).toEqual(
      [],
    );
    expect(texts.some((t) => t.includes('insert into license_versions'))).toBe(true);
    expect(created.map((c) => [c.licenseId, c.version])).toEqual(
      page.map((c, i) => [c.licenseId, i === 3 ? 2 : 1]),
    );
    const raw = rawKnex(database.url);
    try {
      const rows: { license_id: string; version: number; context_id: number | null }[] = await raw(
        'license_versions',
      )
        .select('license_id', 'version', 'context_id')
        .where({ run_id: runId })
        .orderBy('version_id');
      expect(rows.map((r) => [r.license_id, r.version])).toEqual(
        created.map((c) => [c.licenseId, c.version]),
      );
      expect(rows.every((r) => r.context_id !== null)).toBe(true);
      expect(new Set(rows.map((r) => r.context_id)).size).toBe(2);
      const ids = created.map((c) => c.versionId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      // A later run of the same contexts finds them: none made again.
      const later = uniqueName('run');
      await commit(later, [candidate({ n: 5, pipeline, runId: later })]);
      const [{ n }] = (await raw('version_contexts').count('* as n')) as [{ n: unknown }];
      expect(Number(n)).toBe(2);
    } finally {
      await raw.destroy();
    }
    const [read] = await ledger.getVersions([created[3]?.versionId ?? 0]);
    expect(read?.payload).toEqual(page[3]?.build(2));
  });

  it('stores a page whose text holds a lone surrogate as before, not failing it', async () => {
    const runId = uniqueName('run');
    const base = candidate({ n: 9, pipeline, runId });
    const odd: VersionCandidate = {
      ...base,
      build: (v) => ({
        ...base.build(v),
        holder: { name: 'a\ud800b', idType: '001', id: '91370211MA3C000000' },
      }),
    };
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: runId }),
      rowsRead: 2,
      candidates: [odd],
      // A key holding one is quarantined as a bound parameter stored it: the surrogate replaced.
      quarantined: [
        { sourceKey: 'odd-\ud800', reasons: [{ code: 'LB_MAP_DATE', message: 'x', path: 'validTo' }] },
      ],
    });
    const [read] = await ledger.getVersions([created[0]?.versionId ?? 0]);
    expect(read?.payload).toEqual(odd.build(1));
    expect((await ledger.openQuarantine({ pipeline })).map((e) => e.sourceKey)).toEqual(['odd-\ufffd']);
  });

  it('closes and writes the quarantine records of a page in one statement, each ending as before', async () => {
    const keyed = uniqueName('pgq');
    const key = (n: number) => `${keyed}-${n}`;
    const bad = (n: number) => ({
      sourceKey: key(n),
      reasons: [{ code: 'LB_MAP_DATE', message: 'not valid', path: 'validTo', column: 'YXQZ' }],
    });
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline: keyed, mode: 'incremental' });
    await ledger.commitPage({
      pipeline: keyed,
      runId: first,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'a' }),
      rowsRead: 2,
      candidates: [],
      quarantined: [bad(1), bad(2)],
    });
    // The next run: key 1 maps, key 2 maps and is quarantined again in the same page, key 3 is new.
    const second = uniqueName('run');
    await ledger.startRun({ runId: second, pipeline: keyed, mode: 'incremental' });
    const { texts } = await statementsOf(() =>
      ledger.commitPage({
        pipeline: keyed,
        runId: second,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'b' }),
        rowsRead: 4,
        candidates: [
          candidate({ n: 1, pipeline: keyed, runId: second }),
          candidate({ n: 2, pipeline: keyed, runId: second }),
        ],
        quarantined: [bad(2), bad(3)],
      }),
    );
    expect(texts.filter((t) => /(update|into) "?quarantine"? /.test(t))).toHaveLength(1);
    const open = await ledger.openQuarantine({ pipeline: keyed });
    expect(open.map((e) => e.sourceKey)).toEqual([key(2), key(3)]);
    // The first run's records: both closed, key 2's by the mapping beside its new quarantine.
    for (const n of [1, 2]) {
      const history = await ledger.quarantineHistory({ sourceKey: key(n), pipeline: keyed });
      expect(history.filter((r) => r.runId === first).map((r) => r.resolvedAt !== null)).toEqual([true]);
    }
  });
});
