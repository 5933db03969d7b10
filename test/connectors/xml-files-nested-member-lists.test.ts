/**
 * A `lists` entry naming a nested element whose name is an object member's (`DZ.constructor`,
 * `JYXM.toString`) was no list: the parser keys such an element marked (member-names.ts), and the
 * entry was matched unmarked, so one occurrence read as its text where `DZ.SHENG` read as a list.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function firstRecord(record: string, lists: string[]) {
  const out = parseRecords(
    `<Root><Records><Record>${record}</Record></Records></Root>`,
    ['Root', 'Records', 'Record'],
    () => true,
    { file: 'SPXK_1.xml', encoding: 'utf-8' },
    lists,
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records[0];
}

describe('xml-files: lists naming a nested element with an object member name', () => {
  it('reads one occurrence as a list, as for any other nested name', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'SHENG']) {
      const r = firstRecord(`<ID>1</ID><DZ><${name}>甲</${name}></DZ>`, [`DZ.${name}`]);
      expect(r?.values[`DZ.${name}`]).toBe('["甲"]');
      expect(r?.problems).toEqual([]);
    }
  });

  it('still reads an element whose own name holds the dot as a list', () => {
    const r = firstRecord('<ID>1</ID><DZ.constructor>甲</DZ.constructor>', ['DZ.constructor']);
    expect(r?.values['DZ.constructor']).toBe('["甲"]');
  });

  it('reads a member-named element at the top as a list, as before', () => {
    const r = firstRecord('<ID>1</ID><constructor>甲</constructor>', ['constructor']);
    expect(r?.values.constructor).toBe('["甲"]');
  });
});
