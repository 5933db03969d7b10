/**
 * Text written directly inside the record element, beside its fields (`<Record>甲<DM>01</DM></Record>`),
 * was dropped without a word: the record went out without it. Such a record is now held back with
 * LB_SOURCE_DECODE naming the record and file, never the text; layout between fields is no text.
 */
import { describe, expect, it } from 'vitest';
import { firstXmlRecord } from '../support/xml-record.js';

const owned = (n: number) => `xml-files: decode failed: record ${n} in file SPXK_1.xml`;

describe('xml-files: text of the record element itself', () => {
  it('holds back a record whose element holds text beside its fields, never quoting it', () => {
    for (const record of [
      '<Record>王小明<DM>01</DM></Record>',
      '<Record><DM>01</DM>王小明</Record>',
      '<Record ID="7">王小明</Record>',
      '<Record>王小明</Record>',
    ]) {
      const r = firstXmlRecord(record);
      expect(r?.problems.map((p) => p.code)).toEqual(['LB_SOURCE_DECODE']);
      expect(r?.problems[0]?.message).toContain(owned(0));
      expect(r?.problems[0]?.message).toContain('holds text of its own');
      expect(JSON.stringify(r?.problems)).not.toContain('王');
    }
  });

  it('reads a record whose element holds only layout between its fields', () => {
    for (const record of [
      '<Record>\n  <DM>01</DM>\n\t<MC>甲</MC>\r\n</Record>',
      '<Record><DM>01</DM></Record>',
      '<Record ID="7"/>',
    ]) {
      expect(firstXmlRecord(record)?.problems).toEqual([]);
    }
  });
});
