/**
 * An entity reference by the name of a JavaScript object member (`&constructor;`, `&toString;`,
 * `&__proto__;`) is no predefined entity: licbridge expands none but the five, and the value must
 * be refused as for any other entity. Looked up among the five as an object's members, it was
 * decoded as the member's source text: `function Object() { [native code] }` went out as the
 * value, in element text and in attributes, without a word.
 */
import { describe, expect, it } from 'vitest';
import { firstXmlRecord as firstRecord } from '../support/xml-record.js';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

describe('xml-files: entity references named as object members', () => {
  it('refuses such a reference in element text, naming field, record and file', () => {
    const fields = NAMES.map((n, i) => `<F${i}>甲&${n};</F${i}>`).join('');
    const record = firstRecord(`<Record><ID>1</ID>${fields}</Record>`);
    expect(record?.values).toEqual({ ID: '1', ...Object.fromEntries(NAMES.map((_, i) => [`F${i}`, null])) });
    expect(record?.problems.map((p) => [p.column, p.code])).toEqual(
      NAMES.map((_, i) => [`F${i}`, 'LB_SOURCE_ENTITY']),
    );
    expect(record?.problems[0]?.message).toContain('field F0 of record 0 in file SPXK_1.xml');
  });

  it('refuses such a reference in an attribute value', () => {
    const record = firstRecord('<Record ID="1" MC="&constructor;" DZ="&toString;"/>');
    expect(record?.values).toEqual({ ID: '1', MC: null, DZ: null });
    expect(record?.problems.map((p) => p.code)).toEqual(['LB_SOURCE_ENTITY', 'LB_SOURCE_ENTITY']);
  });
});
