/**
 * What a SQL source tells its reader of the rows it leaves for their time (`ReadOptions.onAheadOfClock`):
 * a read that reaches the stream's end counts the rows whose date/time cursor lies ahead of the
 * database's clock (a "never" placeholder), 0 included so an earlier count can be cleared, by
 * names and a number only. A read left before the end tells nothing: it did not see the end. The
 * pipeline keeps what it heard for `licbridge status` (test/ops/status-ahead-of-clock.int.test.ts).
 *
 * PostgreSQL, in a database of this file's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { AheadOfClock, SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** What a read from the start with pages of `pageSize` told, and how many pages it took (`pages` at most). */
async function told(
  source: SourceConnector,
  stream: StreamSpec,
  pageSize: number,
  pages = Number.POSITIVE_INFINITY,
): Promise<AheadOfClock[]> {
  const heard: AheadOfClock[] = [];
  let read = 0;
  for await (const _ of source.read({
    stream,
    after: null,
    pageSize,
    onAheadOfClock: (a) => heard.push(a),
  })) {
    read += 1;
    if (read >= pages) break;
  }
  return heard;
}

describe('PostgreSQL: rows ahead of the clock told to the reader', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_xkz (id int PRIMARY KEY, gxsj timestamp NOT NULL, mc text)');
    await fresh.client.query(
      `INSERT INTO t_xkz VALUES (1, '2024-03-01 08:00:00', 'a'), (2, '2024-03-02 08:00:00', 'b'),
         (3, '2024-03-03 08:00:00', 'c'), (4, '9999-12-31 00:00:00', 'never'), (5, '2999-01-01 00:00:00', 'typo')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('counts them once, at the end of a read, by the names of the stream and its cursor', async () => {
    // Pages of 1: full pages, then an empty one at the end; of 3: one full page, then a short one.
    for (const pageSize of [1, 3]) {
      expect(await told(source, { table: 't_xkz', key: 'id', cursor: 'gxsj' }, pageSize)).toEqual([
        { table: 't_xkz', cursor: 'gxsj', rows: 2 },
      ]);
    }
  });

  it('tells 0 where no clock bounds the stream, and nothing for a read left before the end', async () => {
    expect(await told(source, { table: 't_xkz', key: 'id', cursor: 'id' }, 10)).toEqual([
      { table: 't_xkz', cursor: 'id', rows: 0 },
    ]);
    expect(await told(source, { table: 't_xkz', key: 'id' }, 10)).toEqual([
      { table: 't_xkz', cursor: null, rows: 0 },
    ]);
    expect(await told(source, { table: 't_xkz', key: 'id', cursor: 'gxsj' }, 1, 2)).toEqual([]);
  });

  it('tells 0 once the rows are corrected', async () => {
    await fresh.client.query(
      "UPDATE t_xkz SET gxsj = LOCALTIMESTAMP - interval '1 minute' WHERE gxsj > LOCALTIMESTAMP",
    );
    expect(await told(source, { table: 't_xkz', key: 'id', cursor: 'gxsj' }, 2)).toEqual([
      { table: 't_xkz', cursor: 'gxsj', rows: 0 },
    ]);
  });
});
