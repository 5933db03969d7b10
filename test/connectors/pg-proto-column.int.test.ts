/**
 * A column named `__proto__` (a table's, or a query's alias) reaches the mappings as its value, as
 * any other column does. node-postgres hands it over as the row's own property, but the source row's
 * values were set by assignment, which for `__proto__` sets the object's prototype instead: text
 * was dropped without a word, a NULL took the values' prototype away, and a query stream keyed on
 * such an alias quarantined every row as "key is NULL". Names every object inherits (`toString`,
 * `constructor`, `hasOwnProperty`) were read right already and are held here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL columns named like an object property', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE lbx_proto (id int PRIMARY KEY, "__proto__" text, "toString" text, "constructor" text, "hasOwnProperty" text)',
    );
    await fresh.client.query(
      `INSERT INTO lbx_proto VALUES (1, 'JY001', 'T', 'C', 'H'), (2, NULL, 'T', 'C', 'H')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  // Entries, not an object literal: `{ __proto__: … }` in a literal sets the prototype, no key.
  const own = (values: Record<string, SourceValue> | undefined) => Object.entries(values ?? {});

  it('hands a table column named __proto__ over as its own value', async () => {
    const pages = await readAll(source, { table: 'lbx_proto', key: 'id' }, 10);
    const [one, two] = pages.flatMap((p) => p.rows.map((r) => r.values));
    expect(own(one)).toEqual([
      ['id', 1],
      ['__proto__', 'JY001'],
      ['toString', 'T'],
      ['constructor', 'C'],
      ['hasOwnProperty', 'H'],
    ]);
    expect(Object.getOwnPropertyDescriptor(two, '__proto__')?.value).toBeNull();
    expect(Object.getPrototypeOf(two)).toBe(Object.prototype);
  });

  it('maps a column named __proto__', async () => {
    const pages = await readAll(source, { table: 'lbx_proto', key: 'id' }, 10);
    const row = pages[0]?.rows[0]?.values ?? {};
    const mapping = compileMappingText(
      ['fields:', '  number: { from: __proto__ }', '  surface.mc: { from: toString }', ''].join('\n'),
      '/maps/proto.yaml',
    );
    expect(mapping.map(row)).toMatchObject({ ok: true, fields: { number: 'JY001', surface: { mc: 'T' } } });
  });

  it('keys a query stream on an alias __proto__', async () => {
    const stream = {
      table: 'q_proto',
      key: '__proto__',
      query: 'SELECT "__proto__", "toString" FROM lbx_proto WHERE "__proto__" IS NOT NULL',
    };
    const rows = (await readAll(source, stream, 10)).flatMap((p) => p.rows);
    expect(rows.map((r) => [r.key, r.problems ?? []])).toEqual([['JY001', []]]);
    expect(own(rows[0]?.values)).toEqual([
      ['__proto__', 'JY001'],
      ['toString', 'T'],
    ]);
  });
});
