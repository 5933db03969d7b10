/**
 * Floating-point keys under reconciliation. The run keys a row by the number's shortest JavaScript
 * text (`1e-7`, `100000000000000000000`, a MySQL FLOAT as the single it is: `123456.79`); the
 * database prints it its own way (PostgreSQL `1e-07` and `1e+20`, MySQL six digits of a FLOAT,
 * `123457`). Bucketed inside the database, those rows fell into other buckets than the ledger's:
 * every check found the buckets differing and read them again. They are bucketed from the keys a
 * run gives them, and the digests and drill-downs agree with the rows read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { digestsFromPages, digestsInDb } from './bucket-folds.js';
import { mariadbSource } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const BUCKETS = 16;

/** The digests a ledger holding the rows read would compute, against the source's own. */
async function expectBucketsAgree(source: SourceConnector, stream: StreamSpec, expected: string[]) {
  const { digests, keys } = await digestsFromPages(source, stream, BUCKETS, 3);
  expect(keys).toEqual(expected);
  expect(await digestsInDb(source, stream, BUCKETS)).toEqual(digests);
  const wanted = [...digests.keys()];
  const drilled: string[] = [];
  for await (const chunk of source.readBuckets?.(stream, { buckets: BUCKETS, wanted, pageSize: 4 }) ?? [])
    for (const r of chunk.rows) drilled.push(r.key);
  expect(drilled.sort()).toEqual([...keys].sort());
}

describe('postgres float keys', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_f8 (bh double precision PRIMARY KEY, mc text)');
    await fresh.client.query('CREATE TABLE t_f4 (bh real PRIMARY KEY, mc text)');
    for (const t of ['t_f8', 't_f4'])
      await fresh.client.query(
        `INSERT INTO ${t} VALUES (1e-7, 'a'), (0.1, 'b'), (2.5, 'c'), (123456.789, 'd'), (1e20, 'e'), (-3e-5, 'f')`,
      );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), {
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('bucket double precision keys as the ledger buckets the keys read', async () => {
    await expectBucketsAgree(source, { table: 't_f8', key: 'bh' }, [
      '-0.00003',
      '1e-7',
      '0.1',
      '2.5',
      '123456.789',
      '100000000000000000000',
    ]);
  });

  it('bucket real keys as the ledger buckets the keys read', async () => {
    await expectBucketsAgree(source, { table: 't_f4', key: 'bh' }, [
      '-0.00003',
      '1e-7',
      '0.1',
      '2.5',
      '123456.79',
      '100000000000000000000',
    ]);
  });
});

describe('mysql float keys', () => {
  const legacy = mariadbSource(async (c) => {
    await c.query('CREATE TABLE T_F (BH FLOAT PRIMARY KEY, MC VARCHAR(10))');
    await c.query('CREATE TABLE T_D (BH DOUBLE PRIMARY KEY, MC VARCHAR(10))');
    for (const t of ['T_F', 'T_D'])
      await c.query(
        `INSERT INTO ${t} VALUES (1e-7, 'a'), (0.1, 'b'), (2.5, 'c'), (123456.789, 'd'), (1e21, 'e'), (16777217, 'f')`,
      );
  });

  it('bucket FLOAT keys as the ledger buckets the keys read', async () => {
    await expectBucketsAgree(legacy.source, { table: 'T_F', key: 'BH' }, [
      '1e-7',
      '0.1',
      '2.5',
      '123456.79',
      '16777216',
      '1e+21',
    ]);
  });

  it('bucket DOUBLE keys as the ledger buckets the keys read', async () => {
    await expectBucketsAgree(legacy.source, { table: 'T_D', key: 'BH' }, [
      '1e-7',
      '0.1',
      '2.5',
      '123456.789',
      '16777217',
      '1e+21',
    ]);
  });
});
