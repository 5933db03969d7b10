/**
 * `quarantine export` writes the worklist owner-only from its first byte. A file already there
 * with a wider mode (0644) was written into and narrowed afterwards: whoever had opened it kept
 * reading the new list through that open file after the chmod. Now a new 0600 file replaces it.
 */
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeWorklistFile } from '../../pipelines/quarantine-export.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-export-mode-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('writeWorklistFile', () => {
  it('never writes the list into a file open to others', async () => {
    const file = join(dir, 'quarantine.csv');
    await writeFile(file, 'old list\n', { mode: 0o644 });
    // Opened while the file was readable by all, as another account could.
    const reader = await open(file, 'r');
    try {
      await writeWorklistFile(file, 'key,code\n370211001,LB_MAP_DATE\n');
      const seen = (await reader.readFile()).toString('utf8');
      expect(seen).toBe('old list\n');
    } finally {
      await reader.close();
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('makes a new file owner-only', async () => {
    const file = join(dir, 'new.html');
    await writeWorklistFile(file, '<p>list</p>\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
