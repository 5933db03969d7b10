/**
 * A quarantined row read again by its key (`readKeys`) on a PostgreSQL database of encoding
 * WIN1252, whose key column is under `charset.repair`. PostgreSQL converts every bound text to the
 * database's encoding, and its WIN1252 has no character for 0x81, 0x8D, 0x8F, 0x90 and 0x9D,
 * which MySQL's latin1 reads as U+0081 …: a key whose GBK bytes hold one (丂 is 81 40) bound
 * by such a spelling refused the whole look-up (SQLSTATE 22P05), and no key of it was found.
 */
import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { PG, pgSourceConfig } from './servers.js';

const charset = { repair: ['XKZBH'], from: 'gb18030' } as const;
const stream: StreamSpec = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };
const GARBLED = '中国003';
const UNASSIGNED = '丂亐001';

describe('PostgreSQL WIN1252: a key whose spelling WIN1252 cannot hold', () => {
  const database = `lb_w1252_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client(PG);
  let source: SourceConnector | undefined;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(
      `CREATE DATABASE ${database} ENCODING 'WIN1252' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
    const client = new pg.Client({ ...PG, database });
    await client.connect();
    try {
      await client.query(
        'CREATE TABLE "T_XKZ" ("XKZBH" varchar(40) PRIMARY KEY, "MC" varchar(20), "GXSJ" timestamp(6))',
      );
      const stored = iconv.decode(iconv.encode(GARBLED, 'gbk'), 'windows-1252');
      await client.query(`INSERT INTO "T_XKZ" VALUES ($1, 'cp1252', '2024-01-01 00:00:01')`, [stored]);
    } finally {
      await client.end();
    }
    const quiet = createLogger({ level: 'silent' });
    source = await openSource('legacy', { ...pgSourceConfig(database), charset }, { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('finds the other keys of the look-up, and does not refuse it', async () => {
    const read = await source?.readKeys?.(stream, [UNASSIGNED, GARBLED]);
    expect(read?.rows.map((r) => r.key)).toEqual([GARBLED]);
  });
});
