/**
 * What counting a run's files read with absent elements (migration 031) costs a page. Every source
 * but an XML export folder gives pages without warnings, and commitPage is the hot path: such a
 * page runs no statement more than before 031. A page telling of a file its run has counted costs
 * one statement (the ignored insert), and only a file new to the run reads and writes the run's row.
 */
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { commitPage } from '../../ledger/commit-page.js';
import { createDb, type Db } from '../../ledger/db.js';
import type { AbsentElementsInFile } from '../../ledger/ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { candidates } from './fixtures.js';
import { openSqliteLedger } from './open-sqlite-ledger.js';

const quiet = createLogger({ level: 'silent' });
const pipeline = 'sql-orders';
const runId = 'run-cost';

describe('a page counting absent elements (SQLite, statements seen by knex)', () => {
  let cleanup: (() => void) | undefined;
  let k: Knex;
  let db: Db;
  let page = 0;
  const seen: string[] = [];

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    const file = join(dir, 'ledger.db');
    const ledger = await openSqliteLedger(file, { logger: quiet });
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.close();
    k = knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    k.on('query', (q: { sql: string }) => seen.push(q.sql));
    db = createDb({
      knex: k,
      dialect: 'sqlite',
      maxParams: 999,
      maxRows: 500,
      log: quiet,
      exclusive: (w) => w(),
    });
  });
  afterAll(async () => {
    await k?.destroy();
    cleanup?.();
  });

  /** The statements one page's commit runs, and those touching what 031 added. */
  async function commitSeen(
    absentElements?: AbsentElementsInFile[],
  ): Promise<{ all: number; absent: string[] }> {
    page += 1;
    seen.length = 0;
    await commitPage(db, {
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(page * 10) }),
      rowsRead: 2,
      candidates: candidates(page * 10, 2, { pipeline, runId }),
      quarantined: [],
      ...(absentElements ? { absentElements } : {}),
    });
    return { all: seen.length, absent: seen.filter((s) => /absent/i.test(s)) };
  }

  it('a page without warnings (a SQL source) runs no statement for them', async () => {
    const plain = await commitSeen();
    expect(plain.absent).toEqual([]);
    // The same page shape again: the same number of statements, whatever 031 added.
    expect((await commitSeen()).all).toBe(plain.all);
  });

  it('a file new to the run reads and writes its row; told again, it costs the ignored insert alone', async () => {
    const plain = await commitSeen();
    const first = await commitSeen([{ file: 'a.xml', elements: ['BZ'] }]);
    expect(first.absent).toHaveLength(3);
    const again = await commitSeen([{ file: 'a.xml', elements: ['BZ'] }]);
    expect(again.absent).toHaveLength(1);
    expect(again.all).toBe(plain.all + 1);
  });
});
