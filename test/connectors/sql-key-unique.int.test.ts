/**
 * A cursor stream over a view or a query, on real SQLite, PostgreSQL and MariaDB (a TEMPTABLE view,
 * which the database evaluates whole for every statement). The catalog cannot see a view's indexes,
 * so each page asks the source once more for other rows of its keys: said once per stream, naming
 * the source, the stream and the key column — never a key — and the option that stops it. With
 * `keyUnique: true` no such statement is sent and nothing is said; the rows read are the same.
 * A first look-up that takes long names the stream once more, with its time.
 */
import { Writable } from 'node:stream';
import knex, { type Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { StreamSpec } from '../../connectors/source.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { type FreshEngine, freshMariadb, freshPostgres, freshSqlite } from './fresh-engines.js';

const at = (s: number) => `2024-03-01 08:00:${String(s).padStart(2, '0')}`;
const KEYS = ['JY0001', 'JY0002', 'JY0003', 'JY0004', 'JY0005'];
const PAGE = 2;
const PAGES = Math.ceil(KEYS.length / PAGE);

interface Engine extends FreshEngine {
  cursorType: string;
  /** CREATE VIEW as the engine writes one it evaluates whole (MariaDB's TEMPTABLE). */
  createView: string;
}

/** A source over its own knex, with every statement it sends and every warning it logs. */
async function watched(engine: Engine, options: { slowKeyLookupMs?: number } = {}) {
  const config = withSourceDefaults(engine.config());
  const db: Knex = knex({ ...(await engine.dialect.knexConfig('legacy', config)), compileSqlOnError: false });
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const source = new SqlSource('legacy', config, engine.dialect, db, {
    logger: createLogger({ destination, level: 'warn' }),
    ...options,
  });
  return {
    source,
    sent,
    /** Statements that look up the cursors of a page's keys (key-cursors.ts): `WHERE key IN (…)`. */
    keyLookups: () => sent.filter((sql) => /XKZBH["`]? in \(/i.test(sql)),
    warnings: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map(
          (l) =>
            JSON.parse(l) as { msg: string; source: string; table: string; keyColumn: string; ms?: number },
        ),
  };
}

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    beforeAll(async () => {
      const { q, exec, cursorType, createView } = engine();
      await exec(
        `CREATE TABLE ${q('T_XKZ')} (${q('XKZBH')} VARCHAR(10) NOT NULL PRIMARY KEY, ${q('JYZMC')} VARCHAR(20), ${q('GXSJ')} ${cursorType})`,
      );
      await exec(
        `INSERT INTO ${q('T_XKZ')} VALUES ${KEYS.map((k, i) => `('${k}', 'shop ${i}', '${at(i)}')`).join(', ')}`,
      );
      await exec(
        `${createView} ${q('V_XKZ')} AS SELECT ${q('XKZBH')}, ${q('JYZMC')}, ${q('GXSJ')} FROM ${q('T_XKZ')}`,
      );
    });

    const view: StreamSpec = { table: 'V_XKZ', key: 'XKZBH', cursor: 'GXSJ' };
    const query = (): StreamSpec => ({
      table: 'valid-licenses',
      query: `SELECT ${engine().q('XKZBH')}, ${engine().q('JYZMC')}, ${engine().q('GXSJ')} FROM ${engine().q('T_XKZ')}`,
      key: 'XKZBH',
      cursor: 'GXSJ',
    });

    it('a view or query stream whose key is not declared unique asks once a page, and says so once', async () => {
      for (const [stream, shown] of [
        [view, 'stream `V_XKZ`'],
        [query(), 'query stream `valid-licenses`'],
      ] as const) {
        const w = await watched(engine());
        try {
          await w.source.checkStream(stream);
          for (let i = 0; i < 2; i++) {
            const before = w.keyLookups().length;
            const rows = (await readAll(w.source, stream, PAGE)).flatMap((p) => p.rows);
            expect(rows.map((r) => r.key)).toEqual(KEYS);
            expect(w.keyLookups().length - before).toBe(PAGES);
          }
        } finally {
          await w.source.close();
        }
        const notes = w.warnings().filter((l) => l.msg.includes('keyUnique'));
        expect(notes).toHaveLength(1);
        expect(notes[0]).toMatchObject({ source: 'legacy', keyColumn: 'XKZBH' });
        expect(notes[0]?.msg).toContain('source legacy');
        expect(notes[0]?.msg).toContain(shown);
        expect(notes[0]?.msg).toContain('`XKZBH`');
        expect(notes[0]?.msg).toContain('`keyUnique: true`');
        for (const k of KEYS) expect(JSON.stringify(notes[0])).not.toContain(k);
      }
    });

    it('with `keyUnique: true` no page asks for its keys and nothing is said', async () => {
      for (const stream of [view, query()]) {
        const w = await watched(engine());
        try {
          await w.source.checkStream({ ...stream, keyUnique: true });
          const rows = (await readAll(w.source, { ...stream, keyUnique: true }, PAGE)).flatMap((p) => p.rows);
          expect(rows.map((r) => r.key)).toEqual(KEYS);
          expect(w.sent.length).toBeGreaterThan(0);
          expect(w.keyLookups()).toEqual([]);
        } finally {
          await w.source.close();
        }
        expect(w.warnings().filter((l) => l.msg.includes('keyUnique'))).toEqual([]);
      }
    });

    it('a first look-up slower than the bound names the stream once, never with keyUnique set', async () => {
      // A bound of 0 ms: every look-up is "slow", so the test depends on no clock.
      for (const keyUnique of [false, true]) {
        const w = await watched(engine(), { slowKeyLookupMs: 0 });
        try {
          for (let i = 0; i < 2; i++) await readAll(w.source, { ...view, keyUnique }, PAGE);
        } finally {
          await w.source.close();
        }
        const slow = w.warnings().filter((l) => l.msg.includes('on the first page'));
        if (keyUnique) {
          expect(slow).toEqual([]);
          continue;
        }
        expect(slow).toHaveLength(1);
        expect(slow[0]).toMatchObject({ source: 'legacy', table: 'V_XKZ', keyColumn: 'XKZBH' });
        expect(slow[0]?.ms).toBeGreaterThanOrEqual(0);
        expect(slow[0]?.msg).toContain('`keyUnique: true`');
        for (const k of KEYS) expect(JSON.stringify(slow[0])).not.toContain(k);
      }
    });

    it('a table whose key the catalog knows unique is neither asked about nor warned about', async () => {
      const w = await watched(engine());
      try {
        const stream = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };
        const rows = (await readAll(w.source, stream, PAGE)).flatMap((p) => p.rows);
        expect(rows.map((r) => r.key)).toEqual(KEYS);
        expect(w.keyLookups()).toEqual([]);
      } finally {
        await w.source.close();
      }
      expect(w.warnings().filter((l) => l.msg.includes('keyUnique'))).toEqual([]);
    });
  });
}

const sqlite = freshSqlite('lb-key-unique-');
const postgres = freshPostgres();
const mariadb = freshMariadb();

describeEngine('on SQLite', () => ({ ...sqlite(), cursorType: 'TEXT', createView: 'CREATE VIEW' }));

describeEngine('on PostgreSQL', () => ({
  ...postgres(),
  cursorType: 'TIMESTAMP(6)',
  createView: 'CREATE VIEW',
}));

describeEngine('on MariaDB', () => ({
  ...mariadb(),
  cursorType: 'DATETIME(6)',
  createView: 'CREATE ALGORITHM=TEMPTABLE VIEW',
}));
