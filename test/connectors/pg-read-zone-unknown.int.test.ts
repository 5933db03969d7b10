/**
 * A zone Node knows that the server's time-zone data lacks: an older PostgreSQL's (tzdata before
 * 2022b has no `Europe/Kyiv`, before 2022g no `America/Ciudad_Juarez`) or a KingbaseES's. Each read
 * sets TimeZone to the mappings' zone (dialect.ts `postgresRead`), and every read failed, page after
 * page, with the server's `invalid value for parameter "TimeZone"`. The zone is now tried when a
 * connection is made, and the source fails with what to change. The test server's data knows every
 * zone Node does, so the zone here is a name no tz data has, handed to openSource directly (config
 * loading would refuse it): the server refuses it as an older one refuses `Europe/Kyiv`, with the
 * same SQLSTATE 22023 and message.
 */
import { describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { ErrorCodes } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { until } from '../support/until.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { freshPgSource } from './pg-fresh-source.js';

const quiet = createLogger({ level: 'silent' });
const UNKNOWN = 'Europe/Atlantis';

describe('PostgreSQL source whose zone the server does not know', () => {
  const db = freshPgSource(async (fresh) => {
    await fresh.client.query('CREATE TABLE t_xkz (id int PRIMARY KEY, mc text)');
    await fresh.client.query("INSERT INTO t_xkz VALUES (1, 'N1'), (2, 'N2')");
  });

  it('fails with a configuration error naming the source, lifecycle.timeZone and the zone', async () => {
    const source = await openSource('legacy', pgFamilyConfig('postgres', db.fresh.database), {
      logger: quiet,
      timeZone: UNKNOWN,
    });
    try {
      for (let i = 0; i < 3; i++) {
        const failed = await readAll(source, { table: 't_xkz', key: 'id' }, 10).then(
          () => null,
          (e: unknown) => e as Error & { code?: string; retryable?: boolean },
        );
        expect(failed?.code).toBe(ErrorCodes.CONFIG_INVALID);
        expect(failed?.retryable).toBe(false);
        expect(failed?.message).toMatch(/^source legacy: /);
        expect(failed?.message).toContain('`lifecycle.timeZone`');
        expect(failed?.message).toContain(`\`${UNKNOWN}\``);
        expect(failed?.message).toMatch(/the server does not know/);
        expect(failed?.message).not.toMatch(/N1|N2/);
      }
      const tables = await source.discover().then(
        () => null,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(tables?.code).toBe(ErrorCodes.CONFIG_INVALID);
      // Each refused connection is ended, not left open beside the pool. The server lets its
      // backend go a moment after the client's end: looked at again until it has (a count read at
      // once saw one still there now and then).
      const open = async () =>
        (
          await db.fresh.client.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'licbridge:legacy' AND pid <> pg_backend_pid()",
            [db.fresh.database],
          )
        ).rows[0]?.n;
      await until(async () => (await open()) === 0, 10_000, { what: 'refused connections ended' });
    } finally {
      await source.close();
    }
  });

  it('reads in a zone the server knows', async () => {
    const pages = await readAll(db.source, { table: 't_xkz', key: 'id' }, 10);
    expect(pages.flatMap((p) => p.rows)).toHaveLength(2);
  });
});
