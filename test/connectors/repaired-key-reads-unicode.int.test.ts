/**
 * A quarantined row read again by its key (`readKeys`) where the key column is under
 * `charset.repair` but holds proper Unicode: the repair passes such text through unchanged (a
 * column converted since), so pages deliver `鲁食药监餐证字001` as it is stored. Looked up by its
 * latin1 spellings alone (75489163) the key was never found, on MariaDB, SQLite and PostgreSQL
 * alike. On a MariaDB utf8mb4 column, text garbled by an ISO 8859-1 client (U+0080–U+009F where
 * Windows-1252 has `€`) is delivered by pages too, and must be found by the same key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { cp1252, iso } from './garbled-keys.js';
import { mariadbSource } from './legacy-sources.js';
import { createPgDatabase, type FreshPg, pgSourceConfig } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const charset = { repair: ['XKZBH'], from: 'gb18030' } as const;
const stream: StreamSpec = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };
// 亐 is 81 80: 0x80 reads `€` in Windows-1252, U+0080 in ISO 8859-1.
const PROPER = '鲁食药监餐证字001';
const ISO_GARBLED = '丂亐垚堃002';
const CP1252_GARBLED = '中国003';

async function pageKeys(source: SourceConnector): Promise<string[]> {
  return (await readAll(source, stream, 5)).flatMap((p) => p.rows.map((r) => r.key)).sort();
}

async function lookedUp(source: SourceConnector, keys: string[]): Promise<string[]> {
  const read = await source.readKeys?.(stream, [...keys, '鲁食药监餐证字999']);
  return (read?.rows.map((r) => r.key) ?? []).sort();
}

describe('MariaDB: a utf8mb4 key column under charset.repair', () => {
  const legacy = mariadbSource(
    async (c) => {
      await c.query(
        'CREATE TABLE T_XKZ (XKZBH varchar(40) CHARACTER SET utf8mb4 PRIMARY KEY, MC varchar(20), GXSJ datetime(6))',
      );
      const rows = [
        [PROPER, 'proper'],
        [iso(ISO_GARBLED), 'iso'],
        [cp1252(CP1252_GARBLED), 'cp1252'],
      ];
      for (const [k, mc] of rows)
        await c.query('INSERT INTO T_XKZ VALUES (?, ?, ?)', [k, mc, '2024-01-01 00:00:01']);
    },
    { charset },
  );

  it('finds a key held as proper text, as pages deliver it', async () => {
    expect(await pageKeys(legacy.source)).toContain(PROPER);
    expect(await lookedUp(legacy.source, [PROPER])).toEqual([PROPER]);
  });

  it('finds a key garbled by an ISO 8859-1 client, as pages deliver it', async () => {
    expect(await pageKeys(legacy.source)).toContain(ISO_GARBLED);
    expect(await lookedUp(legacy.source, [ISO_GARBLED, CP1252_GARBLED])).toEqual(
      [ISO_GARBLED, CP1252_GARBLED].sort(),
    );
  });
});

describe('SQLite: one key stored proper, Windows-1252-garbled and ISO-garbled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-repaired-key-'));
  const file = join(dir, 'legacy.db');
  let source: SourceConnector | undefined;
  beforeAll(async () => {
    const db = new Database(file);
    db.exec(
      'CREATE TABLE T_XKZ (ID INTEGER PRIMARY KEY, XKZBH varchar(40), MC varchar(20), GXSJ text); CREATE INDEX IX_XKZBH ON T_XKZ (XKZBH)',
    );
    const insert = db.prepare('INSERT INTO T_XKZ (XKZBH, MC, GXSJ) VALUES (?, ?, ?)');
    insert.run(ISO_GARBLED, 'proper', '2024-01-01 00:00:01');
    insert.run(cp1252(ISO_GARBLED), 'cp1252', '2024-01-01 00:00:02');
    insert.run(iso(ISO_GARBLED), 'iso', '2024-01-01 00:00:03');
    insert.run(PROPER, 'alone', '2024-01-01 00:00:01');
    db.close();
    source = await openSource(
      'legacy',
      { kind: 'sqlite', path: file, trim: 'all', pageSize: 500, charset },
      {
        logger: quiet,
      },
    );
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a key held as proper text', async () => {
    expect(await lookedUp(source as SourceConnector, [PROPER])).toEqual([PROPER]);
  });

  it('reads the rows of all three spellings, as pages do', async () => {
    const s = source as SourceConnector;
    const pages = (await readAll(s, stream, 5)).flatMap((p) => p.rows).filter((r) => r.key === ISO_GARBLED);
    const read = (await s.readKeys?.(stream, [ISO_GARBLED]))?.rows ?? [];
    expect(pages.map((r) => r.values.MC).sort()).toEqual(['cp1252', 'iso', 'proper']);
    expect(read.map((r) => r.values.MC).sort()).toEqual(['cp1252', 'iso', 'proper']);
  });
});

describe('PostgreSQL: a key column under charset.repair holding proper text', () => {
  let fresh: FreshPg | undefined;
  let source: SourceConnector | undefined;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE "T_XKZ" ("XKZBH" varchar(40) PRIMARY KEY, "MC" varchar(20), "GXSJ" timestamp(6))',
    );
    await fresh.client.query(
      `INSERT INTO "T_XKZ" VALUES ($1, 'proper', '2024-01-01 00:00:01'), ($2, 'iso', '2024-01-01 00:00:01')`,
      [PROPER, iso(ISO_GARBLED)],
    );
    source = await openSource('legacy', { ...pgSourceConfig(fresh.database), charset }, { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('finds it, and a key garbled by an ISO 8859-1 client, as pages deliver them', async () => {
    const s = source as SourceConnector;
    expect(await pageKeys(s)).toEqual([PROPER, ISO_GARBLED].sort());
    expect(await lookedUp(s, [PROPER, ISO_GARBLED])).toEqual([PROPER, ISO_GARBLED].sort());
  });
});
