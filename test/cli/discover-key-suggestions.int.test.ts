/**
 * What `licbridge discover` suggests as a stream's key is true: a table with no unique column gets
 * no key in the draft mapping's stream suggestion (the first column is no key), and a unique column
 * that allows NULL is suggested with a note that rows without it are quarantined, not licensed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../connectors/source.js';
import { compileMapping } from '../../mappings/compile.js';
import { discoverWorkspace } from '../support/discover-workspace.js';

const { dir, licbridge } = discoverWorkspace('licbridge-discover-keys-', (db) => {
  // A log table: the same licence number on several rows, no constraint on any column.
  db.exec('CREATE TABLE T_LOG (XKZBH TEXT, JYZMC TEXT, GXSJ TEXT)');
  db.exec("INSERT INTO T_LOG VALUES ('JY1', 'a', '2024-03-01'), ('JY1', 'b', '2024-03-02')");
  // Unique but nullable: SQLite (as every SQL database) lets a UNIQUE column hold NULL many times.
  db.exec('CREATE TABLE T_XK (XKZBH TEXT UNIQUE, GXSJ TEXT)');
  db.exec("INSERT INTO T_XK VALUES ('JY1', '2024-03-01'), (NULL, '2024-03-02'), (NULL, '2024-03-03')");
});

describe('discover: the suggested key', () => {
  it('suggests no key in a draft mapping for a table without a unique column', async () => {
    const file = join(dir, 'log.yaml');
    const r = await licbridge(['discover', 'demo', '--table', 'T_LOG', '--draft-mapping', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('no single-column key found');
    const draft = readFileSync(file, 'utf8');
    expect(draft).not.toMatch(/stream suggestion: \{[^}]*key: XKZBH/);
    expect(draft).toMatch(
      /# No single-column key found in T_LOG: a stream needs a unique, non-null key column/,
    );
    // It still compiles as written.
    await expect(compileMapping(file)).resolves.toBeDefined();
  });

  it('says that a unique key column allowing NULL quarantines the rows without one', async () => {
    const r = await licbridge(['discover', 'demo', '--table', 'T_XK', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const [table] = (JSON.parse(r.stdout) as { tables: TableInfo[] }).tables;
    expect(table?.candidateKeys[0]).toBe('XKZBH');
    expect(table?.notes).toContainEqual(
      expect.stringMatching(
        /^key candidate `XKZBH` is unique but allows NULL: .*quarantined \(LB_SOURCE_KEY_MISSING\)/,
      ),
    );
    const text = await licbridge(['discover', 'demo', '--table', 'T_XK']);
    expect(text.stdout).toMatch(/note: key candidate `XKZBH` is unique but allows NULL/);
  });
});
