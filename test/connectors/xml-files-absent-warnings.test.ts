/**
 * A file none of whose records carries an element the config names is read with the element null
 * (xml-files-omitted-elements.test.ts). Beside the log line, the first page of that file's rows
 * names the file and the elements, so the run reading those rows counts them in its summary.
 */
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { createLogger } from '../../core/logger.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempFolder();
  folders.push(dir);
  return dir;
}

const quiet = createLogger({
  level: 'warn',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const stream: StreamSpec = { table: RECORD_PATH, key: 'ID', cursor: 'UpdTime' };

async function pagesOf(source: ReturnType<typeof openXmlFilesSource>, pageSize: number): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of source.read({ stream, after: null, pageSize })) pages.push(page);
  return pages;
}

describe('xml-files: the elements a file leaves out, told with its rows', () => {
  it("ride on the file's first page only, naming the file and the elements, never a value", async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', MC: '甲', UpdTime: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [
      { ID: '2', MC: '乙' },
      { ID: '3', MC: '丙' },
      { ID: '4', MC: '丁' },
    ]);
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '5', MC: '戊', UpdTime: '2026-11-03 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir, { fields: ['ID', 'MC', 'UpdTime', 'JYXM'] }), {
      logger: quiet,
    });
    try {
      const pages = await pagesOf(source, 2);
      expect(pages.map((p) => [p.rows.map((r) => r.key), p.warnings ?? null])).toEqual([
        [['1'], [{ code: 'LB_SOURCE_ELEMENT_ABSENT', file: 'SPXK_1.xml', elements: ['JYXM'] }]],
        [
          ['2', '3'],
          [{ code: 'LB_SOURCE_ELEMENT_ABSENT', file: 'SPXK_2.xml', elements: ['UpdTime', 'JYXM'] }],
        ],
        [['4'], null],
        [['5'], [{ code: 'LB_SOURCE_ELEMENT_ABSENT', file: 'SPXK_3.xml', elements: ['JYXM'] }]],
      ]);
      expect(JSON.stringify(pages.map((p) => p.warnings))).not.toMatch(/[甲乙丙丁戊]|2026/);
    } finally {
      await source.close();
    }
  });

  it('a file carrying every named element, and one whose rows are all passed over, tell nothing', async () => {
    const dir = folder();
    // Key 1 again in the later file, newer: the earlier file yields no row, so no row read null.
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', MC: '甲' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '1', MC: '乙', UpdTime: '2026-11-02 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { logger: quiet });
    try {
      const pages = await pagesOf(source, 10);
      expect(pages.map((p) => [p.rows.map((r) => r.values.MC), p.warnings ?? null])).toEqual([
        [['乙'], null],
      ]);
    } finally {
      await source.close();
    }
  });
});
