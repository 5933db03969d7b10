/**
 * `config check --connect` reaches front-db targets (they have no `url`): a front database that
 * does not answer, a file that is not there and an exchange table without the configured columns
 * are each one problem located at the target's config entry, found before a run. Nothing is
 * written: no SQLite file, no table, no row.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Problem } from '../../core/errors.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { licbridge } from '../support/cli.js';

const FULL = `DELIVERY_KEY VARCHAR(200) PRIMARY KEY, BATCH_NO VARCHAR(64), OPERATION_TYPE VARCHAR(1),
  EXCHANGE_TIME VARCHAR(30), DATA_SOURCE VARCHAR(64), LICENSE_ID VARCHAR(160), LICENSE_VERSION INTEGER,
  ZZBS VARCHAR(200), CZLX VARCHAR(4), ZZZT VARCHAR(4), PAYLOAD TEXT, SIGNATURE TEXT, EXCHANGE_STATUS VARCHAR(2)`;
const SCHEMA = `cfgcheck_front_${process.pid}`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-check-front-db-'));
  const db = new Database(join(dir, 'front.db'));
  db.exec(`CREATE TABLE UP_LIC_DATA (${FULL})`);
  // A city's table without the column the exchange system's reason goes in.
  db.exec(`CREATE TABLE UP_LIC_PLAIN (${FULL})`);
  db.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The config file, with `targets` as given (YAML lines under `targets:`). */
async function configWith(name: string, targets: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: cfgcheck-front }
catalog: ./catalog
sources: {}
pipelines: {}
signers: {}
targets:
${targets}`,
  );
  return file;
}

async function targetProblems(file: string): Promise<Problem[]> {
  const problems = await checkConnections(await loadConfig({ file, cwd: dir }), 5000);
  return problems.filter((p) => p.path.startsWith('targets.'));
}

async function lineOf(file: string, text: string): Promise<number> {
  return (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('config check --connect on a SQLite front database', () => {
  it('passes a table that fits', async () => {
    const file = await configWith(
      'fits',
      '  city: { kind: front-db, client: sqlite, path: ./front.db, dataSource: "11370211MB12345672" }\n',
    );
    expect(await targetProblems(file)).toEqual([]);
  });

  it('locates a configured column the table lacks at the target', async () => {
    const file = await configWith(
      'unfit',
      `  city:
    kind: front-db
    client: sqlite
    path: ./front.db
    table: UP_LIC_PLAIN
    dataSource: "11370211MB12345672"
    exchangeStatus: { accepted: ["1"], rejected: ["2"], reasonColumn: REFUSE_REASON }
`,
    );
    expect(await targetProblems(file)).toEqual([
      {
        file,
        line: await lineOf(file, '  city:'),
        column: expect.any(Number),
        path: 'targets.city',
        message: expect.stringMatching(
          /^target city: exchange table UP_LIC_PLAIN has no column `REFUSE_REASON` \(`targets\.city\.exchangeStatus\.reasonColumn`/,
        ),
      },
    ]);
  });

  it('locates a table that is not there, and a file that is not there, creating neither', async () => {
    const file = await configWith(
      'missing',
      `  city: { kind: front-db, client: sqlite, path: ./front.db, table: UP_LIC_DATE, dataSource: "X" }
  town: { kind: front-db, client: sqlite, path: ./absent.db, dataSource: "X" }
  demo: { kind: front-db, client: sqlite, path: ./demo.db, createTable: true, dataSource: "X" }
  nowhere: { kind: front-db, client: sqlite, path: ./no-folder/demo.db, createTable: true, dataSource: "X" }
`,
    );
    expect(await targetProblems(file)).toEqual([
      expect.objectContaining({
        line: await lineOf(file, '  city:'),
        path: 'targets.city',
        message: expect.stringContaining('exchange table UP_LIC_DATE is not in the front database'),
      }),
      expect.objectContaining({
        line: await lineOf(file, '  town:'),
        path: 'targets.town',
        message: `target town: front database file ${join(dir, 'absent.db')} cannot be opened for writing (ENOENT): fix \`targets.town.path\``,
      }),
      expect.objectContaining({
        line: await lineOf(file, '  nowhere:'),
        path: 'targets.nowhere',
        message: `target nowhere: front database file ${join(dir, 'no-folder', 'demo.db')} cannot be created, its folder cannot be written (ENOENT): fix \`targets.nowhere.path\``,
      }),
    ]);
    // A file `createTable` makes at the first run is not made by the check.
    expect(existsSync(join(dir, 'absent.db'))).toBe(false);
    expect(existsSync(join(dir, 'demo.db'))).toBe(false);
  });

  it('fails the command (exit 2) with the problem on stderr', async () => {
    const file = await configWith(
      'cli',
      '  city: { kind: front-db, client: sqlite, path: ./front.db, table: UP_LIC_DATE, dataSource: "X" }\n',
    );
    const r = await licbridge(['config', 'check', '--connect', file], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${file}:${await lineOf(file, '  city:')}:3: targets.city: target city: exchange table UP_LIC_DATE is not in the front database`,
    );
  });
});

describe('config check --connect on a PostgreSQL front database', () => {
  let pg: Knex;
  beforeAll(async () => {
    pg = knex({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:5432/test' });
    await pg.raw(`CREATE SCHEMA "${SCHEMA}"`);
    await pg.raw(
      `CREATE TABLE "${SCHEMA}"."UP_LIC_DATA" (${FULL.replace(/([A-Z_]+) (VARCHAR|TEXT|INTEGER)/g, '"$1" $2')})`,
    );
    await pg.raw(
      `CREATE TABLE "${SCHEMA}"."UP_LIC_OLD" ("DELIVERY_KEY" VARCHAR(200) PRIMARY KEY, "PAYLOAD" TEXT)`,
    );
  });
  afterAll(async () => {
    await pg.raw(`DROP SCHEMA "${SCHEMA}" CASCADE`);
    await pg.destroy();
  });

  const target = (name: string, table: string, port = 5432, extra = '') =>
    `  ${name}:
    kind: front-db
    client: postgres
    connection: { host: 127.0.0.1, port: ${port}, user: postgres, database: test }
    table: ${SCHEMA}.${table}
    dataSource: "11370211MB12345672"${extra}
`;

  it('passes a table that fits; locates a table without the columns and a database that does not answer', async () => {
    const file = await configWith(
      'pg',
      target('city', 'UP_LIC_DATA') +
        target('county', 'UP_LIC_OLD') +
        target('down', 'UP_LIC_DATA', 1) +
        target('demo', 'UP_LIC_NEW', 5432, '\n    createTable: true'),
    );
    expect(await targetProblems(file)).toEqual([
      expect.objectContaining({
        line: await lineOf(file, '  county:'),
        path: 'targets.county',
        message: expect.stringMatching(
          /^target county: exchange table \S+UP_LIC_OLD has no column `BATCH_NO`/,
        ),
      }),
      expect.objectContaining({
        line: await lineOf(file, '  down:'),
        path: 'targets.down',
        message: 'target down: reaching the front database failed (ECONNREFUSED)',
      }),
    ]);
    // `createTable` makes the table at the first run, not at the check.
    expect(await pg.schema.withSchema(SCHEMA).hasTable('UP_LIC_NEW')).toBe(false);
  });
});
