/**
 * The demo department's generated legacy tables carry the index the onboarding guide asks a
 * department for, on (cursor, key): SQLite walks it for every keyset page instead of scanning and
 * sorting the table, and a source reading the demo's streams has nothing to warn about.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { cursorPage } from '../../connectors/sql/keyset.js';
import { resolveStream } from '../../connectors/sql/resolve-stream.js';
import { createLogger } from '../../core/logger.js';
import {
  CATERING_TABLE,
  generateLegacyDatabase,
  LEGACY_TABLE,
} from '../../examples/west-coast/generate-legacy-db.js';
import { readAll } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-demo-indexes-'));
const file = join(dir, 'legacy.db');
const STREAMS = [
  { table: LEGACY_TABLE, key: 'ID', cursor: 'GXSJ' },
  { table: CATERING_TABLE, key: 'XH', cursor: 'GXSJ' },
];

beforeAll(async () => {
  await generateLegacyDatabase(file, { rows: 300, seed: 7, cateringRows: 50 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo legacy database', () => {
  it('walks an index on (GXSJ, key) for every keyset page of both tables', async () => {
    const db = knexModule(
      await sqliteDialect.knexConfig('demo', { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 }),
    );
    const plain = new Database(file, { readonly: true });
    try {
      for (const stream of STREAMS) {
        const s = await resolveStream(db, sqliteDialect, 'demo', stream);
        expect(s.cursor?.leadsIndex, stream.table).toBe(true);
        const page = cursorPage(
          db,
          sqliteDialect,
          { ...s, cursor: s.cursor ?? s.key },
          { cursor: '2020-01-01 00:00:00', key: '1' },
          500,
        );
        const { sql, bindings } = page.toSQL().toNative();
        const plan = (
          plain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(bindings as unknown[])) as { detail: string }[]
        )
          .map((r) => r.detail)
          .join('\n');
        // A search of the index, in its order: no scan of the table, no sort for the ORDER BY.
        expect(plan, stream.table).toMatch(
          new RegExp(`SEARCH ${stream.table} USING INDEX IX_${stream.table}_GXSJ_${stream.key}`),
        );
        expect(plan, stream.table).not.toMatch(/USE TEMP B-TREE FOR ORDER BY|SCAN/);
      }
    } finally {
      plain.close();
      await db.destroy();
    }
  });

  it('reads both streams without a warning', async () => {
    let logged = '';
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        logged += chunk.toString('utf8');
        done();
      },
    });
    const source = await openSource(
      'market-food',
      { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 },
      {
        logger: createLogger({ destination, level: 'info' }),
      },
    );
    try {
      for (const stream of STREAMS) expect((await readAll(source, stream, 100)).length).toBeGreaterThan(0);
    } finally {
      await source.close();
    }
    expect(logged).toBe('');
  });
});
