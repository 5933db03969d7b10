/**
 * PostgreSQL: the statement that writes a page's versions and their contexts
 * (ledger/pg-versions-insert.ts) as other writers meet it. A page finds its contexts without
 * locking them, so another writer of the same context (a lifecycle tick, a repair, another
 * pipeline's page) does not wait for the page's transaction to end, and two pages naming two
 * contexts in opposite orders cannot deadlock on them. A context another transaction commits
 * while the page's statement runs is found all the same, each version naming it. And the texts
 * it stores are the ones a bound insert stored, byte for byte.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierColumn } from '../../ledger/identifier-column.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { lineageFields } from '../../ledger/lineage-column.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { insertVersionsPg, readsOtherwiseAsJson } from '../../ledger/pg-versions-insert.js';
import { splitVersionFields, type VersionContext } from '../../ledger/version-context.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe("a page's versions and contexts beside other writers (postgres)", () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let other: Knex;

  const commit = (pipeline: string, runId: string, page: VersionCandidate[]) =>
    commitOnePage(ledger, pipeline, runId, page);

  /** The texts commitPage stores for `c` as version `version`: what a bound insert stored. */
  function texts(c: VersionCandidate, pipeline: string, runId: string, version: number) {
    const payload = c.build(version);
    return splitVersionFields(payloadColumn(payload), payload, lineageFields(c.lineage, pipeline, runId));
  }

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    other = rawKnex(database.url);
  });
  afterAll(async () => {
    await raw?.destroy();
    await other?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('leaves the contexts it finds unlocked while its transaction runs', async () => {
    const pipeline = uniqueName('pgc');
    const runId = uniqueName('run');
    const first = candidate({ n: 1, pipeline, runId });
    const [made] = (await commit(pipeline, runId, [first])).created;
    const context = texts(first, pipeline, runId, 1).context as VersionContext;
    const row = {
      license_id: first.licenseId,
      version: 2,
      pipeline,
      identifier: `x-${runId}`,
      content_hash: 'h2',
      status: 'valid',
      operation: 'update',
      payload: '{}',
      lineage: '{}',
      run_id: runId,
      created_at: new Date().toISOString(),
      context,
    };
    const trx = await raw.transaction();
    try {
      const returned = await insertVersionsPg(trx, [row]);
      expect(returned?.map((r) => Number(r.version))).toEqual([2]);
      // What a lifecycle tick or a repair runs for the same context (version-context.ts contextIds).
      await other.transaction(async (t) => {
        await t.raw("set local lock_timeout = '1s'");
        await t('version_contexts').insert(context).onConflict(['lineage', 'payload']).ignore();
      });
    } finally {
      await trx.rollback();
    }
    expect(made?.version).toBe(1);
  });

  it('finds a context another transaction commits while the page is written', async () => {
    const pipeline = uniqueName('pgr');
    const runId = uniqueName('run');
    const base = candidate({ n: 1, pipeline, runId });
    const page = [0, 1, 2].map((i) => {
      const c = candidate({ n: i + 1, pipeline, runId });
      return { ...c, lineage: { ...c.lineage, catalogVersion: `race-${pipeline}` } };
    });
    const context = texts(page[0] ?? base, pipeline, runId, 1).context as VersionContext;
    // Another writer makes the page's context and has not committed when the page's statement runs.
    const holder = await other.transaction();
    await holder('version_contexts').insert(context);
    const committing = commit(pipeline, runId, page);
    // Committed only once the page's statement waits on the context's row lock: a fixed pause let
    // a slow page's statement start after the commit, and the test passed without the race.
    await waitForLockWait(raw);
    await holder.commit();
    const { created } = await committing;
    expect(created.map((c) => c.version)).toEqual([1, 1, 1]);
    const [ctx] = await raw('version_contexts').where(context).select('context_id');
    const rows = await raw('license_versions')
      .whereIn(
        'version_id',
        created.map((c) => c.versionId),
      )
      .select('context_id');
    expect(rows.map((r) => Number(r.context_id))).toEqual([0, 1, 2].map(() => Number(ctx?.context_id)));
    const read = await ledger.getVersions(created.map((c) => c.versionId));
    expect(read.map((v) => v.payload)).toEqual(page.map((c) => c.build(1)));
  });

  it('stores every text as the bound insert did, byte for byte', async () => {
    const pipeline = uniqueName('pgt');
    const runId = uniqueName('run');
    const odd = [
      'line\u2028sep\u2029para',
      'emoji 😀 and 𠀋',
      'controls \u0001\u0007\b\f\n\r\t\u001f\u007f\u0085',
      'bom \ufeff zero-width \u200b bidi \u202e',
      'back\\slash "quote" \\n as text',
      '',
      'x'.repeat(1_000_000),
    ];
    const page: VersionCandidate[] = odd.map((text, i) => {
      const c = candidate({ n: i + 1, pipeline, runId });
      return {
        ...c,
        build: (v) => ({ ...c.build(v), holder: { name: text, idType: '001', id: '91370211MA3C000000' } }),
      };
    });
    // Texts the JSON parameter carries as they are (not sent the bound way instead).
    const all = page.map((c) => texts(c, pipeline, runId, 1));
    expect(readsOtherwiseAsJson(JSON.stringify(all))).toBe(false);
    const { created } = await commit(pipeline, runId, page);
    const stored: {
      payload: string;
      lineage: string;
      identifier: string;
      created_at: Date;
      bytes: string;
    }[] = await raw('license_versions')
      .whereIn(
        'version_id',
        created.map((c) => c.versionId),
      )
      .orderBy('version_id')
      .select('payload', 'lineage', 'identifier', 'created_at', raw.raw('octet_length(payload) as bytes'));
    expect(stored.map((s) => s.payload)).toEqual(all.map((t) => t.payload));
    expect(stored.map((s) => Number(s.bytes))).toEqual(all.map((t) => Buffer.byteLength(t.payload)));
    expect(stored.map((s) => s.lineage)).toEqual(all.map((t) => t.lineage));
    expect(stored.map((s) => s.identifier)).toEqual(
      page.map((c) => identifierColumn(c.licenseId, 1, c.build(1).identifier)),
    );
    expect(stored.map((s) => s.created_at.toISOString())).toEqual(
      page.map(() => stored[0]?.created_at.toISOString()),
    );
    const read = await ledger.getVersions(created.map((c) => c.versionId));
    expect(read.map((v) => v.payload)).toEqual(page.map((c) => c.build(1)));
  });
});

/** Waits until a session of the database, other than `k`'s own, waits for a row lock. */
async function waitForLockWait(k: Knex): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const res: { rows: unknown[] } = await k.raw(
      `select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          and wait_event_type = 'Lock' and query like '%version_contexts%'`,
    );
    if (res.rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no session waited for the context row lock within 10 s');
}
