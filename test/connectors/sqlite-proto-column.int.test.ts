/**
 * better-sqlite3 builds a row by assignment, so a table's column named `__proto__` is not in the
 * row it hands over. The value was read through the row's prototype instead: the column reached
 * the mappings as the text `{}`, a value the table never held, on every row. The read refuses such
 * a column, naming it and the way to read it (an alias in a query stream), as MariaDB's driver does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';

const quiet = createLogger({ level: 'silent' });

describe('SQLite column named __proto__', () => {
  const dir = mkdtempSync(join(tmpdir(), 'licbridge-proto-column-'));
  const file = join(dir, 'legacy.db');
  let source: SourceConnector;
  beforeAll(async () => {
    const writer = new Database(file);
    writer.exec(
      `CREATE TABLE lbx_proto (id integer PRIMARY KEY, "__proto__" text, "toString" text);
       INSERT INTO lbx_proto VALUES (1, 'JY001', 'T');`,
    );
    writer.close();
    source = await openSource(
      'legacy',
      { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the table rather than hand over a value it never held', async () => {
    const read = readAll(source, { table: 'lbx_proto', key: 'id' }, 10);
    await expect(read).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringContaining('column `__proto__`'),
    });
  });

  it('reads it under an alias', async () => {
    const stream = {
      table: 'q_proto',
      key: 'id',
      query: 'SELECT id, "__proto__" AS proto, "toString" FROM lbx_proto',
    };
    const rows = (await readAll(source, stream, 10)).flatMap((p) => p.rows);
    expect(rows.map((r) => Object.entries(r.values))).toEqual([
      [
        ['id', 1],
        ['proto', 'JY001'],
        ['toString', 'T'],
      ],
    ]);
  });
});
