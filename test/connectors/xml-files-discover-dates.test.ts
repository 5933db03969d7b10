/**
 * Discovery suggests as cursor a field written in any date form the cursor order compares by
 * instant: `2026/11/5 9:05`, `2026年11月5日`, `2026-11-05T09:05:00+08:00`. Such a field was typed
 * text and not suggested, and the note told the engineer to rely on file names instead.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files discovery: update times written the desktop tools’ way', () => {
  for (const [first, second, type] of [
    ['2026/11/5 9:05', '2026/11/12 10:00:00', 'datetime'],
    ['2026年11月5日', '2026年11月12日', 'date'],
    ['2026-11-05T09:05:00.000+08:00', '2026-11-12T10:00:00.000+08:00', 'datetime'],
  ] as const) {
    it(`names \`${first}\` as a cursor candidate`, async () => {
      const dir = tempFolder();
      folders.push(dir);
      await writeExport(dir, 'YSXK_1.xml', [
        { ID: '1', MC: '甲', GXSJ: first },
        { ID: '2', MC: '乙', GXSJ: first },
      ]);
      await writeExport(dir, 'YSXK_2.xml', [{ ID: '1', MC: '甲改', GXSJ: second }]);
      const source = openXmlFilesSource('transport', xmlConfig(dir));
      const [table] = await source.discover();
      await source.close();
      expect(table?.columns.find((c) => c.name === 'GXSJ')?.type).toBe(type);
      expect(table?.candidateCursors[0]).toBe('GXSJ');
      expect(table?.notes?.join('\n')).toContain('cursor: GXSJ');
    });
  }
});
