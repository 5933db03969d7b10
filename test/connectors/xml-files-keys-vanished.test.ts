/**
 * The source's keys (the light check after each run, a full check, and the key set a repair reads
 * again before it writes) were read file by file after one listing, and a file gone between the
 * listing and its reading was passed over: an export tool that writes the day's export again by
 * deleting it and writing it anew, caught in between, had every key only that file held missing,
 * its licenses reported `deleted-at-source`. Such a file now fails the keys and the count,
 * retryable, as it fails a run's read: the next attempt lists the folder as it is.
 */

import { rmSync, unlinkSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
const realOpen = fsp.open;

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});
afterEach(() => {
  fsp.open = realOpen;
  syncBuiltinESMExports();
});

/** The first opening of `name` finds it deleted a moment before, as after a listing. */
function vanishOnOpen(name: string): void {
  let done = false;
  fsp.open = (async (path: Parameters<typeof realOpen>[0], ...rest: unknown[]) => {
    if (!done && String(path).endsWith(name)) {
      done = true;
      unlinkSync(path as string);
    }
    return (realOpen as (...a: unknown[]) => ReturnType<typeof realOpen>)(path, ...rest);
  }) as typeof realOpen;
  syncBuiltinESMExports();
}

const stream = { table: RECORD_PATH, key: 'ID' };

describe('xml-files: a file gone between the listing and its reading', () => {
  it('fails the keys, retryable, instead of leaving its keys out', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'E001.xml', [{ ID: '1' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '2' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      vanishOnOpen('E002.xml');
      const keys = async () => {
        const all: string[] = [];
        for await (const chunk of source.keys(stream)) all.push(...chunk);
        return all;
      };
      await expect(keys()).rejects.toMatchObject({
        code: 'LB_SOURCE_UNREACHABLE',
        retryable: true,
        message: expect.stringMatching(/file E002\.xml changed or vanished while it was being read/),
      });
      // The next attempt lists the folder as it is now.
      expect(await keys()).toEqual(['1']);
    } finally {
      await source.close();
    }
  });

  it('fails the count too', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'E001.xml', [{ ID: '1' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '2' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      vanishOnOpen('E002.xml');
      await expect(source.count(stream)).rejects.toMatchObject({ code: 'LB_SOURCE_UNREACHABLE' });
    } finally {
      await source.close();
    }
  });
});
