/**
 * A hostile config author, through the real CLI: queries that try to lock, sleep, read files or
 * change session state, and regular expressions that backtrack for ever. Each case asserts the exit
 * code, then scans stderr, stdout, every row of the ledger and every Redis key and value under the
 * case's prefix for the secrets (./hostile-config-fixture.ts). Values from references:
 * ./hostile-config.int.test.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  hostileWorkspace,
  ROWS,
  runVariant,
  TABLE,
  useHostileWorkspace,
} from './hostile-config-fixture.js';

useHostileWorkspace();

describe('hostile config: query streams are one read-only SELECT', () => {
  const query = (q: string) => (y: string) =>
    y.replace(TABLE, `stream: { table: q, key: ID, cursor: GXSJ, query: ${JSON.stringify(q)} }`);
  const mysqlSource = (y: string) =>
    y.replace(
      'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
      'market-food: { kind: mysql, connection: { host: 127.0.0.1, port: 3306, user: root, database: test } }',
    );
  const pgSource = (y: string) =>
    y.replace(
      'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
      'market-food: { kind: postgres, connection: { host: 127.0.0.1, port: 5432, user: postgres, database: test } }',
    );

  it.each([
    ['sqlite-load-extension', "SELECT *, load_extension('x') FROM T_SPXK_XKZ", (y: string) => y],
    ['mysql-dash-dash', 'SELECT * FROM T_SPXK_XKZ WHERE ID = 1--1 FOR UPDATE', mysqlSource],
    ['mysql-hash-comment', "SELECT * FROM T_SPXK_XKZ # '\nLOCK IN SHARE MODE -- '", mysqlSource],
    ['mysql-version-comment', 'SELECT * FROM T_SPXK_XKZ /*!50000 FOR UPDATE */', mysqlSource],
    ['mysql-backslash', "SELECT * FROM T_SPXK_XKZ WHERE JYZMC = 'x\\'' LOCK IN SHARE MODE -- '", mysqlSource],
    ['mysql-get-lock', "SELECT *, GET_LOCK('lb', 5) FROM T_SPXK_XKZ", mysqlSource],
    ['pg-set-config', "SELECT *, set_config('default_transaction_read_only', 'off', false) FROM t", pgSource],
    ['pg-read-file', "SELECT *, pg_read_file('/etc/hostname') FROM t", pgSource],
  ] as const)('%s is rejected before it reaches the database', async (name, sql, source) => {
    const o = await runVariant(name, (y) => query(sql)(source(y)));
    expect([1, 2]).toContain(o.status);
    expect(`${o.stderr}${o.stdout}`).toContain('query rejected');
    expectNoLeak(o);
  });

  it('a query ending in a -- comment runs to the end', async () => {
    const o = await runVariant('trailing-comment', query('SELECT * FROM T_SPXK_XKZ -- the whole table'), [
      'run',
      '--all',
      '--json',
    ]);
    expect(o.status, o.stderr.slice(0, 500)).toBe(0);
    const [run] = (JSON.parse(o.stdout) as { runs: { read: number }[] }).runs;
    expect(run?.read).toBe(ROWS);
    expectNoLeak(o);
  });
});

describe('hostile config: regular expressions cannot hang a worker', () => {
  // Exponential on a backtracking engine: 28 characters took 27 s.
  const HOSTILE = '^(\\\\w+\\\\s?)*$';

  it('a catastrophic pattern on long hostile values finishes the run with every row mapped', async () => {
    const ws = hostileWorkspace();
    const legacy = new Database(ws.legacyDb);
    legacy.prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID % 4 = 0').run(`${'a'.repeat(60)}!`);
    legacy.close();
    const mapping = await readFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), 'utf8');
    const hostile = mapping
      .replace(
        'surface.premises: { from: JYCS, transform: [trim], required: true }',
        `surface.premises: { from: JYCS, transform: [trim, { replace: ["${HOSTILE}", "X"] }], required: true }`,
      )
      .replace(
        'areaCode: { from: XZQH, transform: [trim] }',
        `areaCode:\n    - { when: { column: JYCS, matches: "${HOSTILE}" }, const: "370211" }\n    - { from: XZQH, transform: [trim] }`,
      );
    expect(hostile).not.toBe(mapping);
    await writeFile(join(ws.dir, 'mappings', 'hostile-regex.yaml'), hostile);
    const o = await runVariant(
      'regex-run',
      (y) => y.replace('./mappings/food-business-license.yaml', './mappings/hostile-regex.yaml'),
      ['run', '--all', '--json', '--full'],
    );
    expect(o.status, o.stderr.slice(0, 500)).toBe(0);
    const [run] = (JSON.parse(o.stdout) as { runs: { read: number; quarantined: number }[] }).runs;
    expect(run?.read).toBe(ROWS);
    expectNoLeak(o);
  });

  it('a back-reference is refused when the mapping compiles, naming file and line', async () => {
    const ws = hostileWorkspace();
    const mapping = await readFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), 'utf8');
    const broken = mapping.replace(
      'surface.premises: { from: JYCS, transform: [trim], required: true }',
      'surface.premises: { from: JYCS, transform: [trim, { replace: ["(a)\\\\1+$", ""] }], required: true }',
    );
    const line = broken.split('\n').findIndex((l) => l.includes('(a)')) + 1;
    await writeFile(join(ws.dir, 'mappings', 'hostile-backref.yaml'), broken);
    const o = await runVariant('regex-backref', (y) =>
      y.replace('./mappings/food-business-license.yaml', './mappings/hostile-backref.yaml'),
    );
    expect(o.status).toBe(2);
    expect(o.stderr).toContain(`hostile-backref.yaml:${line}:`);
    expect(o.stderr).toMatch(/back-references and look-ahead\/look-behind are not supported/);
    expectNoLeak(o);
  });
});
