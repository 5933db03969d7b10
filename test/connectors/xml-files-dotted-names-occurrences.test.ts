/**
 * A field of a repeated element that its occurrences read from different places (`<a.b>` in one,
 * `<a><b>` in another; an attribute `dm` in one, a child `<dm>` in another) is refused, and the
 * message says what happened: each occurrence gave one value, none replaced another, but the
 * field's list would mix the two. It said "one value would replace the other", sending the reader
 * to look for two such elements in one occurrence, which holds none.
 */
import { describe, expect, it } from 'vitest';
import { firstXmlRecord } from '../support/xml-record.js';

function problems(record: string) {
  return firstXmlRecord(record)?.problems ?? [];
}

describe('xml-files: a field clash between occurrences of a repeated element', () => {
  it('says the occurrences read it from two places and its list would mix them, never a value', () => {
    const [p] = problems('<Record><ID>1</ID><XM dm="01">热食</XM><XM><dm>02</dm>冷食</XM></Record>');
    expect(p?.code).toBe('LB_SOURCE_FIELD_CLASH');
    expect(p?.message).toBe(
      'xml-files: field clash: field XM.dm of record 0 in file SPXK_1.xml is read from attribute dm of <XM> in some occurrences of <XM> and from <XM><dm> in others, and its list would mix the two; have the export tool write every occurrence alike',
    );
    expect(p?.message).not.toMatch(/热食|冷食|01|02/);
  });

  it('keeps saying one value would replace the other for two places in one occurrence', () => {
    const [p] = problems(
      '<Record><ID>1</ID><XM><a.b>甲</a.b><a><b>乙</b></a></XM><XM><c>丙</c></XM></Record>',
    );
    expect(p?.column).toBe('XM.a.b');
    expect(p?.message).toContain(
      'is read from both <XM><a.b> and <XM><a><b>, and one value would replace the other',
    );
  });
});
