/**
 * `licbridge discover` through the command line: on the demo department's generated SQLite
 * database, on a MariaDB database with a table made here, and on a folder of XML exports.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from '../../connectors/source.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { compileMapping } from '../../mappings/compile.js';
import { writeExport } from '../connectors/xml-fixtures.js';
import { ROOT, licbridge as run } from '../support/cli.js';

const DATABASE = `lb_discover_${randomBytes(5).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'licbridge-discover-'));
const configFile = join(dir, 'licbridge.yaml');

const licbridge = (args: string[]) => run([...args, '--config', configFile], { cwd: dir });

const json = async (args: string[]) => {
  const r = await licbridge([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { tables: TableInfo[]; draftMapping: string | null };
};

let admin: mysql.Connection;

beforeAll(async () => {
  await generateLegacyDatabase(join(dir, 'legacy.db'), { rows: 40, seed: 3 });
  admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
  await admin.query(
    `CREATE TABLE ${DATABASE}.T_JYXK (XH INT PRIMARY KEY, XKZBH CHAR(20) NOT NULL, JYZMC VARCHAR(100), GXSJ DATETIME(6) NULL)`,
  );
  await admin.query(
    `INSERT INTO ${DATABASE}.T_JYXK VALUES (1, 'JY1', '甲', '2024-03-01 08:00:00.000001'), (2, 'JY2', '乙', NULL), (3, 'JY3', NULL, '2024-03-02 08:00:00')`,
  );
  mkdirSync(join(dir, 'exports'));
  await writeExport(
    join(dir, 'exports'),
    'E001.xml',
    [
      { ID: '1', GXSJ: '2024-03-01 08:00:00', MC: '甲' },
      { ID: '2', GXSJ: '2024-03-02 08:00:00', MC: '乙' },
    ],
    { encoding: 'gbk' },
  );
  writeFileSync(
    configFile,
    [
      'ledger: { url: "sqlite://./ledger.db" }',
      `catalog: ${JSON.stringify(join(ROOT, 'examples', 'west-coast', 'catalog'))}`,
      'sources:',
      '  demo: { kind: sqlite, path: ./legacy.db }',
      `  maria: { kind: mysql, connection: { host: 127.0.0.1, port: 3306, user: root, database: ${DATABASE} } }`,
      '  exports: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('licbridge discover', () => {
  it('prints the demo table with its row count and key/cursor candidates', async () => {
    const r = await licbridge(['discover', 'demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('T_SPXK_XKZ · 40 rows');
    expect(r.stdout).toMatch(/\n\s+ID\s+INTEGER\s+no\s+K1\n/);
    expect(r.stdout).toMatch(/\n\s+GXSJ\s+\S+\s+yes\s+C1\n/);
    expect(r.stdout).toContain('suggested stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }');
  });

  it('writes a draft mapping listing every column, which compiles', async () => {
    const out = join(dir, 'draft.yaml');
    const { tables, draftMapping } = await json([
      'discover',
      'demo',
      '--table',
      'T_SPXK_XKZ',
      '--draft-mapping',
      out,
    ]);
    expect(draftMapping).toBe(out);
    const text = readFileSync(out, 'utf8');
    for (const c of tables[0]?.columns ?? []) expect(text).toContain(`{ from: "${c.name}"`);
    const compiled = await compileMapping(out);
    expect(compiled.columns).toEqual(['ID']);
    // A second run does not overwrite the engineer's edits without --force.
    const again = await licbridge(['discover', 'demo', '--table', 'T_SPXK_XKZ', '--draft-mapping', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('discovers a MariaDB table', async () => {
    const { tables } = await json(['discover', 'maria', '--table', 'T_JYXK']);
    const [t] = tables;
    expect(t?.rowCount).toBe(3);
    expect(t?.columns.map((c) => c.name)).toEqual(['XH', 'XKZBH', 'JYZMC', 'GXSJ']);
    expect(t?.candidateKeys[0]).toBe('XH');
    expect(t?.candidateCursors).toContain('GXSJ');
    expect(t?.columns.find((c) => c.name === 'XKZBH')?.nullable).toBe(false);
  });

  it('discovers the record path of a folder of GBK exports', async () => {
    const { tables } = await json(['discover', 'exports']);
    expect(tables).toEqual([
      expect.objectContaining({ name: 'Root/Records/Record', rowCount: 2, candidateCursors: ['GXSJ'] }),
    ]);
    expect(tables[0]?.candidateKeys[0]).toBe('ID');
  });

  it('names an unknown source and an unknown table', async () => {
    const r = await licbridge(['discover', 'dem']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown source `dem`');
    const t = await licbridge(['discover', 'demo', '--table', 'T_SPXK_XKQ']);
    expect(t.status).toBe(1);
    expect(t.stderr).toContain('T_SPXK_XKQ');
    expect(t.stderr).toContain('T_SPXK_XKZ');
  });
});
