/**
 * What reaches a mapping from an export with a raw control character in a value (XML 1.0 has no
 * such character; legacy tools write them as they are) or with a list field longer than a value
 * may be: the record alone is held back, naming the field and never the value, and the file's
 * other records map. A character reference to a control (`&#1;`) is refused at the source.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compileMappingText } from '../../mappings/compile.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(records: string[], lists: string[] = []): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const body = records.map((r) => `<Record>${r}</Record>\n`).join('');
  writeFileSync(join(dir, 'a.xml'), `<Root><Records>\n${body}</Records></Root>\n`);
  // Every field the mapping reads is declared, so a record without one reads it as null.
  const fields = ['ID', 'MC', 'DZ.bz', 'XM'];
  return rowsOfExport(openXmlFilesSource('food', { ...xmlConfig(dir), fields, lists } as SourceConfig));
}

const mapping = compileMappingText(
  [
    'fields:',
    '  holder.name: { from: MC }',
    '  surface.address: { from: DZ.bz }',
    '  surface.items[]: { from: XM, transform: [list] }',
    '',
  ].join('\n'),
  '/maps/xml-controls.yaml',
);

function outcome(row: SourceRow) {
  if (row.problems?.length) return row.problems.map((p) => p.code);
  const out = mapping.map(row.values);
  return out.ok ? 'ok' : out.reasons.map((r) => ({ code: r.code, column: r.column, message: r.message }));
}

describe('xml-files: control characters and long lists reaching a mapping', () => {
  it('holds back the record with a raw control character, naming the field, never the value', async () => {
    const rows = await rowsOf([
      '<ID>1</ID><MC>张\u0001三</MC>',
      '<ID>2</ID><MC>李四</MC><DZ bz="长江路\u001b1号"/>',
      '<ID>3</ID><MC>王\u0000五</MC>',
      '<ID>4</ID><MC>赵&#1;六</MC>',
      '<ID>5</ID><MC>钱七</MC>',
    ]);
    const outcomes = rows.map(outcome);
    expect(outcomes[0]).toMatchObject([{ code: 'LB_MAP_CONTROL_CHAR', column: 'MC' }]);
    expect(outcomes[1]).toMatchObject([{ code: 'LB_MAP_CONTROL_CHAR', column: 'DZ.bz' }]);
    expect(outcomes[2]).toMatchObject([{ code: 'LB_MAP_CONTROL_CHAR', column: 'MC' }]);
    expect(outcomes[3]).toEqual(['LB_SOURCE_ENTITY']);
    expect(outcomes[4]).toBe('ok');
    const said = JSON.stringify(outcomes);
    for (const piece of ['张', '三', '长江路', '王', '五']) expect(said).not.toContain(piece);
  });

  it('holds back the record whose list text passes 4,000 characters, the others mapped', async () => {
    const items = Array.from(
      { length: 200 },
      (_, i) => `<XM>预包装食品销售（含冷藏冷冻食品）第${i}项</XM>`,
    ).join('');
    const rows = await rowsOf(
      ['<ID>1</ID><XM>甲</XM>', `<ID>2</ID>${items}`, '<ID>3</ID><XM>乙</XM>'],
      ['XM'],
    );
    expect(String(rows[1]?.values.XM ?? '').length).toBeGreaterThan(4000);
    const outcomes = rows.map(outcome);
    expect(outcomes[0]).toBe('ok');
    expect(outcomes[1]).toMatchObject([{ code: 'LB_MAP_TOO_LONG', column: 'XM' }]);
    expect(outcomes[2]).toBe('ok');
  });
});
