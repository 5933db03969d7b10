/**
 * The round trips of a PostgreSQL page read (issue 17). A read is one transaction, REPEATABLE READ
 * and READ ONLY, whose first statement sets the session's output formats and zone
 * (dialect.ts `postgresRead`); node-postgres waits for each statement's answer before it sends the
 * next, so BEGIN, the settings, the page and ROLLBACK were four round trips a page. BEGIN and the
 * settings go as one simple query now: three, the page still read in one snapshot with the
 * settings in force (pg-page-snapshot, postgres-date-style, pg-read-session-zone).
 */
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { READ_ZONE_PARAM } from '../../connectors/sql/dialects/postgres/knex-config.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** Each statement's text node-postgres sends while `sent` is not null, one per round trip. */
let sent: string[] | null = null;
const query = pg.Client.prototype.query;

describe('PostgreSQL page read round trips', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0];
      sent?.push(typeof config === 'string' ? config : String((config as { text?: unknown })?.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_xkz (id int PRIMARY KEY, mc text, gxsj timestamp)');
    await fresh.client.query(
      "INSERT INTO t_xkz SELECT i, 'N' || i, timestamp '2024-03-01' + i * interval '1 second' FROM generate_series(1, 30) AS i",
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    pg.Client.prototype.query = query;
    await source?.close();
    await fresh?.drop();
  });

  it('opens each page read with BEGIN and its settings in one round trip', async () => {
    const stream = { table: 't_xkz', key: 'id', cursor: 'gxsj' };
    // The first read opens the pool's connections (their own look-ups); the second is counted.
    await readAll(source, stream, 10);
    sent = [];
    const pages = await readAll(source, stream, 10);
    const statements = sent;
    sent = null;
    expect(pages.flatMap((p) => p.rows)).toHaveLength(30);
    const begins = statements.filter((s) => /^BEGIN\b/i.test(s));
    expect(begins.length).toBeGreaterThanOrEqual(3);
    for (const begin of begins) {
      expect(begin).toMatch(/^BEGIN TRANSACTION ISOLATION LEVEL repeatable read READ ONLY;/i);
      expect(begin).toContain("set_config('TimeZone'");
    }
    // No statement of its own for the settings: each transaction is BEGIN, its reads, ROLLBACK.
    expect(statements.filter((s) => /^\s*SELECT set_config/i.test(s))).toEqual([]);
    expect(statements.filter((s) => /^ROLLBACK/i.test(s))).toHaveLength(begins.length);
  });

  it('fails a read whose settings the server refuses with their error, read after read', async () => {
    // A zone the server does not know: BEGIN takes, the settings after it fail. The session must
    // not go back to the pool inside the aborted transaction (current transaction is aborted).
    // A source's zone is tried when its first connection is made (pg-read-zone-unknown), so the
    // zone is changed under the source once its connection has been made in a zone the server knows.
    const unknown = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    try {
      await readAll(unknown, { table: 't_xkz', key: 'id' }, 10);
      const params = (unknown as unknown as { db: Knex }).db.userParams as Record<string, unknown>;
      params[READ_ZONE_PARAM] = 'Mars/Olympus_Mons';
      for (let i = 0; i < 4; i++) {
        const failed = await readAll(unknown, { table: 't_xkz', key: 'id' }, 10).then(
          () => null,
          (e: unknown) => e as Error & { cause?: { message?: string } },
        );
        expect(failed?.cause?.message ?? failed?.message).toMatch(/invalid value for parameter "TimeZone"/);
      }
    } finally {
      await unknown.close();
    }
  });
});
