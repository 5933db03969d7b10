import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { ROOT } from '../support/cli.js';

/**
 * Opens and reads a SQLite source in a fresh Node process (the built dist) and lists which
 * database drivers that process loaded: a config without Oracle must never load node-oracledb.
 */
function driversLoadedBySqliteRead(dbPath: string): Promise<string[]> {
  const openSource = pathToFileURL(join(ROOT, 'dist', 'connectors', 'open-source.js')).href;
  const script = `
    import { createRequire } from 'node:module';
    const { openSource } = await import(${JSON.stringify(openSource)});
    const source = await openSource('s', { kind: 'sqlite', path: ${JSON.stringify(dbPath)}, trim: 'all', pageSize: 50 });
    for await (const page of source.read({ stream: { table: 'T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ' }, after: null, pageSize: 50 })) { void page; break; }
    await source.close();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    const drivers = ['oracledb', 'tedious', 'mssql', 'mysql2', 'pg', 'better-sqlite3']
      .filter((d) => loaded.some((p) => p.includes('/node_modules/' + d + '/')));
    process.stdout.write(JSON.stringify(drivers));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
  });
}

describe('database drivers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-lazy-'));
    await generateLegacyDatabase(join(dir, 'legacy.db'), { rows: 20, seed: 1 });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('load only for the kinds a config names: a SQLite read loads better-sqlite3 and nothing else', async () => {
    const drivers = await driversLoadedBySqliteRead(join(dir, 'legacy.db'));
    expect(drivers).toContain('better-sqlite3');
    expect(drivers).not.toContain('oracledb');
    expect(drivers).not.toContain('tedious');
    expect(drivers).not.toContain('mssql');
    expect(drivers).not.toContain('mysql2');
    expect(drivers).not.toContain('pg');
  });
});
