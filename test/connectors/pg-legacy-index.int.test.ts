/**
 * The PostgreSQL copy of the demo department's table (test/support/pg-legacy.ts) carries the same
 * index on (GXSJ, ID) the generated SQLite database does, so tests that read it page by page read
 * it as a department that followed the onboarding guide would serve it: a source opened on it
 * finds the cursor leading an index and has nothing to warn about.
 */
import knex from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

let ws: PgLegacyWorkspace;
beforeAll(async () => {
  ws = await createPgLegacyWorkspace({ rows: 5 });
}, 60_000);
afterAll(async () => ws?.cleanup());

it('indexes the PostgreSQL copy of the demo table on (GXSJ, ID)', async () => {
  const { rows } = await ws.pg.client.query<{ indexdef: string }>(
    'SELECT indexdef FROM pg_indexes WHERE tablename = $1',
    [LEGACY_TABLE],
  );
  expect(rows.map((r) => r.indexdef).some((d) => /\("GXSJ", "ID"\)/.test(d))).toBe(true);
  const db = knex(
    await postgresDialect.knexConfig('pg', {
      kind: 'postgres',
      connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database: ws.pg.database },
      trim: 'all',
      pageSize: 100,
    }),
  );
  try {
    const columns = await postgresDialect.describeTable(db, { name: LEGACY_TABLE });
    expect(columns.find((c) => c.name === 'GXSJ')?.leadsIndex).toBe(true);
  } finally {
    await db.destroy();
  }
});
