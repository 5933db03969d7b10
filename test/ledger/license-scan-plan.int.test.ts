/**
 * The keyset scans of a pipeline's licenses in id order (the light check after every run, the
 * platform side of a reconciliation) walk the primary key on SQLite. With an index that leads
 * with `pipeline` (there are two: status/valid_to and number), SQLite's planner read every license
 * of the pipeline and sorted them for each page: 5 s a page at 1,000,000 licenses, so the light
 * check after a million-row run took a quarter of an hour. Each scan's statements are captured as
 * they run and their plans asked of SQLite itself.
 */
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { createDb, type Db } from '../../ledger/db.js';
import { licensesAtTarget, pipelineLicenses } from '../../ledger/reconcile-store.js';
import { foodLicense } from '../documents/fixtures.js';
import { makeTempDir } from '../signers/helpers.js';
import { openSqliteLedger } from './open-sqlite-ledger.js';

const quiet = createLogger({ level: 'silent' });

describe('scans of a pipeline in license-id order (SQLite)', () => {
  let cleanup: () => void;
  let k: Knex;
  let db: Db;
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    const file = join(dir, 'ledger.db');
    // A ledger with two pipelines, written the ordinary way.
    const ledger = await openSqliteLedger(file, { logger: quiet });
    for (const pipeline of ['food', 'other']) {
      await ledger.startRun({ runId: `r-${pipeline}`, pipeline, mode: 'full' });
      await ledger.commitPage({
        pipeline,
        runId: `r-${pipeline}`,
        checkpoint: encodeKeyPosition({ cursor: null, key: '30' }),
        rowsRead: 30,
        candidates: Array.from({ length: 30 }, (_, i) => {
          const l = foodLicense(i + 1);
          const identifier = `1.2.156.3005.2.11370200MB12345674001.11370211MB1234567X.${pipeline === 'food' ? 'F' : 'O'}${String(i).padStart(6, '0')}.001.F`;
          const license = { ...l, identifier };
          return {
            licenseId: identifier.slice(0, -6),
            sourceKey: String(i + 1),
            contentHash: contentHash(license),
            status: 'valid' as const,
            lineage: {
              pipeline,
              source: 's',
              sourceKey: String(i + 1),
              runId: `r-${pipeline}`,
              catalogVersion: 'c',
              mappingVersion: 'm',
            },
            build: () => license,
          };
        }),
        quarantined: [],
      });
    }
    await ledger.close();
    k = knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
      seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
    );
    db = createDb({
      knex: k,
      dialect: 'sqlite',
      maxParams: 999,
      maxRows: 500,
      log: quiet,
      exclusive: (work) => work(),
    });
  });
  afterAll(async () => {
    await k?.destroy();
    cleanup?.();
  });

  async function plans(scan: () => Promise<unknown>): Promise<string[][]> {
    seen.length = 0;
    await scan();
    const selects = seen.filter((q) => /^select/i.test(q.sql) && q.sql.includes('`licenses`'));
    expect(selects.length).toBeGreaterThan(0);
    return Promise.all(
      selects.map(async (q) =>
        (
          (await k.raw(`explain query plan ${q.sql}`, q.bindings as Knex.RawBinding[])) as {
            detail: string;
          }[]
        ).map((r) => r.detail),
      ),
    );
  }

  function expectIdOrderWalk(plan: string[]): void {
    // The licenses are read through the primary key, in id order: no sort of the whole pipeline.
    expect(plan.find((d) => /\bl\b/.test(d) && /SEARCH|SCAN/.test(d))).toMatch(/sqlite_autoindex_licenses_1/);
    expect(plan.some((d) => d.includes('TEMP B-TREE FOR ORDER BY'))).toBe(false);
  }

  it('the light check reads the whole pipeline, and only it, walking the primary key', async () => {
    let licenses: Awaited<ReturnType<typeof pipelineLicenses>> = [];
    for (const plan of await plans(async () => {
      licenses = await pipelineLicenses(db, 'food');
    }))
      expectIdOrderWalk(plan);
    expect(licenses).toHaveLength(30);
    expect(licenses.every((l) => l.licenseId.includes('.F0'))).toBe(true);
    const ids = licenses.map((l) => l.licenseId);
    expect(ids).toEqual([...ids].sort());
  });

  it('a reconciliation reads a page of licenses at a target the same way', async () => {
    let page: Awaited<ReturnType<typeof licensesAtTarget>> = [];
    for (const plan of await plans(async () => {
      page = await licensesAtTarget(db, 'other', 'province', '', 10);
    }))
      expectIdOrderWalk(plan);
    expect(page).toHaveLength(10);
    expect(page.every((l) => l.licenseId.includes('.O0'))).toBe(true);
  });
});
