/**
 * An attribute and a child element of one element with the same name: export tools write the key
 * both ways (`<Record ID="7"><ID>…</ID>`, a code as `<XM dm="01"><dm>…</dm>`). Both are license
 * content, so neither may overwrite the other. The attribute keeps the plain name it always had
 * (a stream keyed on it reads the same keys after an upgrade), and the element's text is read as
 * `name.#text`, wherever the clash is.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function valuesOf(record: string): Record<string, string | null>[] {
  const out = parseRecords(`<Root><Records>${record}</Records></Root>`, PATH, () => false);
  if (!out.ok) throw new Error(out.reason);
  return out.file.records.map((r) => r.values);
}

describe('xml-files: an attribute and a child element with one name', () => {
  it('keeps both on the record element: the attribute as ID, as before, the element as ID.#text', () => {
    expect(valuesOf('<Record ID="7" LX="A"><ID>JY0001</ID><MC>面馆</MC></Record>')).toEqual([
      { 'ID.#text': 'JY0001', MC: '面馆', ID: '7', LX: 'A' },
    ]);
  });

  it('keeps both on a nested element, and an element with attributes of its own keeps them', () => {
    expect(
      valuesOf(
        '<Record><ID>1</ID><DZ dm="370211"><dm>黄岛</dm></DZ><XK bh="A1"><bh lx="2">甲</bh></XK></Record>',
      ),
    ).toEqual([
      {
        ID: '1',
        'DZ.dm.#text': '黄岛',
        'DZ.dm': '370211',
        'XK.bh.#text': '甲',
        'XK.bh.lx': '2',
        'XK.bh': 'A1',
      },
    ]);
  });

  it('keeps both on each occurrence of a repeated element', () => {
    expect(
      valuesOf('<Record><ID>1</ID><XM dm="01"><dm>甲</dm></XM><XM dm="02"><dm>乙</dm></XM></Record>'),
    ).toEqual([{ ID: '1', 'XM.dm.#text': '["甲","乙"]', 'XM.dm': '["01","02"]' }]);
  });

  it('names the field list the same way, in the order first seen', () => {
    const out = parseRecords(
      '<Root><Records><Record ID="7"><ID>a</ID></Record><Record><ID>b</ID></Record></Records></Root>',
      PATH,
      () => false,
    );
    expect(out.ok && out.file.fields).toEqual(['ID.#text', 'ID']);
  });
});
