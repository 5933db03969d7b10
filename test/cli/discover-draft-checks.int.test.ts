/**
 * `discover --draft-mapping` checks what it can before the source is read: discovering every table
 * counts the rows of each (a full scan per table on a production database), and the draft was
 * refused only after it, for a missing --table or a draft file already there; a draft file in a
 * folder that does not exist failed after it as an "unexpected failure" (ENOENT). The source here
 * cannot be reached: a refusal naming the draft, not the source, shows nothing was read first.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExport } from '../connectors/xml-fixtures.js';
import { licbridge } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-discover-draft-'));
const configFile = join(dir, 'licbridge.yaml');
mkdirSync(join(dir, 'exports'));
writeFileSync(
  configFile,
  `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379" }
catalog: ./catalog
sources:
  down: { kind: mysql, connection: { host: 127.0.0.1, port: 1, user: root, database: nowhere }, connectTimeoutMs: 1000 }
  exports: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record }
pipelines: {}
`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const discover = (...args: string[]) =>
  licbridge(['discover', ...args, '--config', configFile], { cwd: dir });

describe('discover --draft-mapping: checked before the source is read', () => {
  it('refuses a draft without --table on a database source, before connecting', async () => {
    const r = await discover('down', '--draft-mapping', join(dir, 'd1.yaml'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('discover: --draft-mapping needs one table: name it with --table');
    expect(r.stderr).not.toContain('down:');
  });

  it('refuses a draft file that exists (without --force), before connecting', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, '# the engineer’s edits\n');
    const r = await discover('down', '--table', 'T', '--draft-mapping', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`discover: draft failed: ${file} exists; pass --force to overwrite it`);
  });

  it('refuses a draft path held by a symbolic link to nothing (without --force), before connecting', async () => {
    // Writing with `wx` refuses the link all the same, but only after every table was counted.
    const file = join(dir, 'linked.yaml');
    symlinkSync(join(dir, 'gone', 'target.yaml'), file);
    const r = await discover('down', '--table', 'T', '--draft-mapping', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`discover: draft failed: ${file} exists; pass --force to overwrite it`);
    expect(r.stderr).not.toContain('down:');
  });

  it('refuses a draft file in a folder that does not exist, naming it, before connecting', async () => {
    const file = join(dir, 'no-such-folder', 'draft.yaml');
    const r = await discover('down', '--table', 'T', '--draft-mapping', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `discover: draft failed: cannot write ${file}: folder ${join(dir, 'no-such-folder')} does not exist`,
    );
    expect(r.stderr).not.toContain('unexpected failure');
  });

  it('drafts an export folder’s one record path without --table', async () => {
    await writeExport(join(dir, 'exports'), 'E001.xml', [{ ID: '1', MC: '甲' }]);
    const file = join(dir, 'exports-draft.yaml');
    const r = await discover('exports', '--draft-mapping', file, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).draftMapping).toBe(file);
  });
});
