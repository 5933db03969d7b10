import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { type ConformanceFixture, readAll, runConformance } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-sqlite-'));
const file = join(dir, 'legacy.db');
// The fixture writes through its own writable handle; the connector only ever gets read-only.
const writer = new Database(file);
writer.pragma('journal_mode = WAL');

afterAll(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (overrides: Partial<SourceConfig> = {}): SourceConfig => ({
  kind: 'sqlite',
  path: file,
  trim: 'all',
  pageSize: 500,
  ...overrides,
});

runConformance('sqlite', async (): Promise<ConformanceFixture> => {
  const table = `T_CONF_${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
  writer.exec(`CREATE TABLE "${table}" (ID INTEGER PRIMARY KEY, GXSJ TEXT, MC CHAR(10))`);
  const connector = await openSource('conformance', config());
  const insert = writer.prepare(`INSERT INTO "${table}" (ID, GXSJ, MC) VALUES (?, ?, ?)`);
  const update = writer.prepare(`UPDATE "${table}" SET GXSJ = ?, MC = coalesce(?, MC) WHERE ID = ?`);
  return {
    connector,
    stream: { table, key: 'ID', cursor: 'GXSJ' },
    nameColumn: 'MC',
    async insert(rows) {
      writer.transaction(() => {
        for (const r of rows) insert.run(r.id, r.cursor, r.name.padEnd(10, ' '));
      })();
    },
    async update(id, change) {
      update.run(change.cursor, change.name === undefined ? null : change.name.padEnd(10, ' '), id);
    },
    async dispose() {
      await connector.close();
      writer.exec(`DROP TABLE "${table}"`);
    },
  };
});

describe('sqlite source specifics', () => {
  it('fails to open a missing file with an error naming the path, and creates nothing', async () => {
    const missing = join(dir, 'nope', 'absent.db');
    const error = await openSource('food', config({ path: missing })).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_SOURCE_UNREACHABLE');
    expect(String((error as Error).message)).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a network kind without a connection block, naming the source', async () => {
    const error = await openSource('hr', config({ kind: 'oracle' })).catch((e: unknown) => e);
    expect(isLicbridgeError(error)).toBe(true);
    expect((error as Error).message).toBe('source hr: a oracle source needs `connection`');
  });

  it('opens the database read-only', async () => {
    writer.exec('CREATE TABLE IF NOT EXISTS T_RO (ID INTEGER PRIMARY KEY)');
    const connector = await openSource('ro', config());
    // A read-only handle refuses DDL even if some code path were to try it.
    const reader = new Database(file, { readonly: true });
    expect(() => reader.exec('CREATE TABLE T_X (A)')).toThrow(/readonly/i);
    reader.close();
    await connector.close();
  });

  it('normalises values: Buffers, big integers, padding per trim list, case-insensitive names', async () => {
    writer.exec('CREATE TABLE T_VALS (id INTEGER PRIMARY KEY, big INTEGER, img BLOB, a CHAR(5), b CHAR(5))');
    writer
      .prepare('INSERT INTO T_VALS VALUES (?, ?, ?, ?, ?)')
      .run(1, 9007199254740993n, Buffer.from([1, 2, 3]), 'ab   ', '　cd  ');
    const connector = await openSource('vals', config({ trim: ['A'] }));
    const [page] = await readAll(connector, { table: 't_vals', key: 'ID' }, 10);
    const values = page?.rows[0]?.values ?? {};
    expect(values.big).toBe('9007199254740993');
    expect(values.img).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(values.img)).toBe(false);
    expect(Array.from(values.img as Uint8Array)).toEqual([1, 2, 3]);
    expect(values.a).toBe('ab');
    expect(values.b).toBe('　cd  ');
    await connector.close();
  });

  it('pages keys beyond 2^53 exactly', async () => {
    writer.exec('CREATE TABLE T_BIG (ID INTEGER PRIMARY KEY, V TEXT)');
    const base = 9007199254740990n;
    const ins = writer.prepare('INSERT INTO T_BIG VALUES (?, ?)');
    for (let i = 0n; i < 8n; i++) ins.run(base + i, 'v');
    const connector = await openSource('big', config());
    const pages = await readAll(connector, { table: 'T_BIG', key: 'ID' }, 3);
    const keys = pages.flatMap((p) => p.rows.map((r) => r.key));
    expect(keys).toEqual(Array.from({ length: 8 }, (_, i) => String(base + BigInt(i))));
    expect(decodeKeyPosition(pages[0]?.checkpoint ?? '', 'test').key).toBe('9007199254740992');
    await connector.close();
  });

  it('rejects a nonsensical page size with what was expected and what was got', async () => {
    const connector = await openSource('size', config());
    await expect(readAll(connector, { table: 'T_BIG', key: 'ID' }, 0)).rejects.toThrow(
      'Expected `pageSize` to be an integer from 1 to 100000, got `0` (number)',
    );
    await connector.close();
  });
});
