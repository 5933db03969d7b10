import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { type CliResult, ROOT, licbridge as run } from './cli.js';

export interface DiscoverWorkspace {
  /** The folder of the config, the ledger and `legacy.db`; removed after the tests. */
  dir: string;
  /** Runs the CLI in `dir` with `--config` pointing at its config. */
  licbridge(args: string[]): Promise<CliResult>;
}

/**
 * A folder whose config has one SQLite source, `demo` (`legacy.db`, its tables made by `tables`
 * before the tests), no pipelines, signers or targets: what `licbridge discover demo` reads.
 */
export function discoverWorkspace(
  prefix: string,
  tables: (db: Database.Database) => void,
): DiscoverWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const configFile = join(dir, 'licbridge.yaml');
  beforeAll(() => {
    const db = new Database(join(dir, 'legacy.db'));
    tables(db);
    db.close();
    writeFileSync(
      configFile,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        `catalog: ${JSON.stringify(join(ROOT, 'examples', 'west-coast', 'catalog'))}`,
        'sources:',
        '  demo: { kind: sqlite, path: ./legacy.db }',
        'pipelines: {}',
        'signers: {}',
        'targets: {}',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, licbridge: (args) => run([...args, '--config', configFile], { cwd: dir }) };
}
