/**
 * End to end: an XML source's `lists` field (JSON list text in every record) mapped with the
 * `list` transform gives the license one item per element, one item or two.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compileMappingText } from '../../mappings/compile.js';
import { rowsOfExport, tempFolder, xmlConfig } from '../connectors/xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(records: string[], lists: string[]): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const body = records.map((r) => `<Record>${r}</Record>`).join('');
  writeFileSync(join(dir, 'a.xml'), `<Root><Records>${body}</Records></Root>`);
  return rowsOfExport(openXmlFilesSource('food', { ...xmlConfig(dir), lists } as SourceConfig));
}

describe('an XML source’s list field mapped with `list`', () => {
  it('gives one item and two items', async () => {
    const rows = await rowsOf(
      ['<ID>1</ID><XM>甲</XM>', '<ID>2</ID><XM>甲</XM><XM>乙</XM>', '<ID>3</ID>'],
      ['XM'],
    );
    const mapping = compileMappingText(
      'fields:\n  surface.items[]: { from: XM, transform: [list] }\n',
      '/maps/xml-list.yaml',
    );
    const mapped = rows.map((row) => {
      const out = mapping.map(row.values);
      return out.ok ? out.fields.surface : out.reasons;
    });
    expect(mapped).toEqual([{ items: ['甲'] }, { items: ['甲', '乙'] }, { items: [] }]);
  });
});
