/**
 * A PostgreSQL `bytea[]` (a list of attachment digests, of codes kept as bytes). node-postgres
 * parses each element to a Buffer, and the list's JSON wrote each as Node's serialised Buffer,
 * `{"type":"Buffer","data":[0,255,65]}`: no step reads such an item (`list` refused the row), and
 * it named the bytes otherwise than a lone bytea is named as a key, `\x00ff41`. Each element is now
 * that text, in the database's `bytea_output` of `hex` or `escape` alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL bytea lists', () => {
  let fresh: FreshPg;
  const opened: SourceConnector[] = [];
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE lbx_fj (fj bytea PRIMARY KEY, fjl bytea[])');
    await fresh.client.query(
      `INSERT INTO lbx_fj VALUES ('\\x00ff41', ARRAY['\\x00ff41'::bytea, NULL, ''::bytea, '\\x5c'::bytea])`,
    );
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await fresh?.drop();
  });

  async function readRow(): Promise<{ key: string; fjl: unknown }> {
    const source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    opened.push(source);
    const row = (await readAll(source, { table: 'lbx_fj', key: 'fj' }, 10))[0]?.rows[0];
    return { key: row?.key ?? '', fjl: row?.values.fjl };
  }

  const mapping = compileMappingText(
    ['fields:', '  surface.fjl[]: { from: FJL, transform: [list] }', ''].join('\n'),
    '/maps/bytea-list.yaml',
  );

  it('hands each element over as the text a lone bytea key is', async () => {
    const { key, fjl } = await readRow();
    expect(key).toBe('\\x00ff41');
    expect(fjl).toBe('["\\\\x00ff41",null,"\\\\x","\\\\x5c"]');
    expect(mapping.map({ FJL: fjl as string })).toMatchObject({
      ok: true,
      fields: { surface: { fjl: [key, null, '\\x', '\\x5c'] } },
    });
  });

  it('reads the same under bytea_output = escape', async () => {
    await fresh.client.query(`ALTER DATABASE ${fresh.database} SET bytea_output = 'escape'`);
    const { fjl } = await readRow();
    expect(fjl).toBe('["\\\\x00ff41",null,"\\\\x","\\\\x5c"]');
  });
});
