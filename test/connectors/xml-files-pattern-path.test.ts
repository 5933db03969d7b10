/**
 * `pattern` matches the names of the files in the folder: a pattern holding a `/` (a sub-folder,
 * `**` for every folder below) matches no name, and the folder read as empty without a word.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files: a pattern naming a path', () => {
  it.each(['2026-11-05/*.xml', '**/*.xml'])(
    '%s is refused when the source opens, naming the knob',
    async (pattern) => {
      const dir = tempFolder();
      folders.push(dir);
      mkdirSync(join(dir, '2026-11-05'));
      await writeExport(join(dir, '2026-11-05'), 'SPXK_1.xml', [{ ID: '1' }]);
      let error: unknown = null;
      try {
        openXmlFilesSource('food', xmlConfig(dir, { pattern }));
      } catch (e) {
        error = e;
      }
      expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
      const e = error as Error & { code: string };
      expect(e.code).toBe('LB_CONFIG_INVALID');
      expect(e.message).toContain('`sources.food.pattern`');
      expect(e.message).toContain(pattern);
      expect(e.message).toContain('sub-folders are not read');
    },
  );

  it('a pattern of file names opens as before', () => {
    const dir = tempFolder();
    folders.push(dir);
    expect(() => openXmlFilesSource('food', xmlConfig(dir, { pattern: 'SPXK_[0-9]*.XML' }))).not.toThrow();
  });
});
