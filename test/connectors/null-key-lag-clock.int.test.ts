/**
 * Rows whose key is NULL under a lag window, on real PostgreSQL and MariaDB, while the database's
 * clock moves during a run. A run reads such rows first, bounded by the clock at that moment; its
 * keyed pages come later, bounded by a later clock, and their checkpoint passed the first bound.
 * The next run looks only at rows without a key at or after that checkpoint: one whose cursor lay
 * between the two was neither read nor quarantined, by either run. Each is now read once by the
 * run whose checkpoint passes it, and no row without a key is read twice in one run.
 *
 * The clock is the connection's own, moved between the run's first page and its keyed pages:
 * MariaDB's by `SET timestamp`; PostgreSQL's wall clock (LOCALTIMESTAMP, which bounds a cursor
 * without a zone) by the session's TimeZone, five hours ahead — as the clock moves during a long
 * run. One connection: every statement of the source sees the clock the test set.
 */
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { createLogger } from '../../core/logger.js';
import { type FreshEngine, freshMariadb, freshPostgres } from './fresh-engines.js';

const LAG_MS = 5_000;

interface Engine extends FreshEngine {
  cursorType: string;
  /** A cursor value `minutes` from the clock a run starts at (SQL). */
  at(minutes: number): string;
  /** Sets the connection's clock where a run starts. */
  start(db: Knex): Promise<void>;
  /** Moves the connection's clock hours ahead. */
  later(db: Knex): Promise<void>;
}

/** [key, name, minutes from the clock's start]: `late` lies past the first clock's bound, before `A2`. */
const ROWS: [string | null, string, number][] = [
  ['A1', 'one', -60],
  [null, 'early', -50],
  [null, 'late', 120],
  ['A2', 'two', 180],
];

/** A source on one connection of its own, so the clock the test sets is the one it reads by. */
async function sourceOn(engine: Engine): Promise<{ source: SqlSource; db: Knex }> {
  const config = withSourceDefaults({ ...engine.config(), lagMs: LAG_MS });
  const base = await engine.dialect.knexConfig('legacy', config);
  const db = knex({ ...base, pool: { ...base.pool, min: 0, max: 1 }, compileSqlOnError: false });
  const logger = createLogger({ level: 'silent' });
  return { source: new SqlSource('legacy', config, engine.dialect, db, { logger }), db };
}

/** The names a run reads from `after` on; `between` runs after its first page. */
async function run(
  source: SqlSource,
  stream: StreamSpec,
  pageSize: number,
  after: Checkpoint | null,
  between: () => Promise<void>,
): Promise<{ names: string[]; checkpoint: Checkpoint | null }> {
  const pages: Page[] = [];
  for await (const page of source.read({ stream, after, pageSize })) {
    pages.push(page);
    if (pages.length === 1) await between();
  }
  return {
    names: pages.flatMap((p) => p.rows.map((r) => String(r.values.NAME))),
    checkpoint: pages.at(-1)?.checkpoint ?? after,
  };
}

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    let source: SqlSource;
    let db: Knex;
    beforeAll(async () => {
      ({ source, db } = await sourceOn(engine()));
    });
    afterAll(async () => source?.close());

    it.each([1, 100])(
      'reads the row without a key that the first clock left out, once, before its checkpoint passes it (pages of %i)',
      async (pageSize) => {
        const e = engine();
        const { q } = e;
        const t = `t_null_key_${pageSize}`;
        await e.exec(
          `CREATE TABLE ${q(t)} (${q('K')} VARCHAR(10), ${q('NAME')} VARCHAR(20), ${q('GXSJ')} ${e.cursorType})`,
        );
        await e.start(db);
        const values = ROWS.map(([k, n, m]) => `(${k === null ? 'NULL' : `'${k}'`}, '${n}', ${e.at(m)})`);
        await e.exec(
          `INSERT INTO ${q(t)} (${q('K')}, ${q('NAME')}, ${q('GXSJ')}) VALUES ${values.join(', ')}`,
        );
        const stream: StreamSpec = { table: t, key: 'K', cursor: 'GXSJ' };
        const first = await run(source, stream, pageSize, null, () => e.later(db));
        const second = await run(source, stream, pageSize, first.checkpoint, async () => {});
        const read = [...first.names, ...second.names];
        // Every row read; none without a key read twice in the run that read it.
        expect([...read].sort()).toEqual(['early', 'late', 'one', 'two']);
        expect(first.names.filter((n) => n === 'early' || n === 'late').sort()).toEqual(['early', 'late']);
        // Read before the page whose checkpoint passes it is stored: a run stopped there has it.
        expect(first.names.indexOf('late')).toBeLessThan(first.names.indexOf('two'));
      },
    );
  });
}

const postgres = freshPostgres();

describeEngine('PostgreSQL', () => ({
  ...postgres(),
  cursorType: 'timestamp(6)',
  at: (m) => `(now() AT TIME ZONE 'UTC') + interval '${m} minutes'`,
  start: async (db) => {
    await db.raw("SET TIME ZONE 'UTC'");
  },
  // POSIX signs: Etc/GMT-5 is five hours ahead of UTC.
  later: async (db) => {
    await db.raw("SET TIME ZONE 'Etc/GMT-5'");
  },
}));

const mariadb = freshMariadb();
const START = '2024-03-01 08:00:00';

describeEngine('MariaDB', () => ({
  ...mariadb(),
  cursorType: 'DATETIME(6)',
  at: (m) => `TIMESTAMP '${START}' + INTERVAL ${m} MINUTE`,
  start: async (db) => {
    await db.raw(`SET timestamp = UNIX_TIMESTAMP('${START}')`);
  },
  later: async (db) => {
    await db.raw(`SET timestamp = UNIX_TIMESTAMP('${START}' + INTERVAL 5 HOUR)`);
  },
}));
