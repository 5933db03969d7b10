// OFD.xml's CreationDate (xs:date, no zone) is the date where the license is issued: China
// Standard Time (UTC+8), the zone of every issuing unit and of the seal systems licbridge reads
// (der-reader.ts). It was the UTC date, so a file issued between 00:00 and 08:00 Beijing time —
// the night, when stock licenses are issued in bulk — showed the day before as its creation date.
import { describe, expect, it } from 'vitest';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { ofdEntryXml } from '../../adapters/documents/ofd/ofd-package.js';
import { foodLicense } from './fixtures.js';

function creationDate(at: string): string | undefined {
  const xml = ofdEntryXml(docInfoFor(foodLicense(1), new Date(at)), null);
  return /<ofd:CreationDate>([^<]*)<\/ofd:CreationDate>/.exec(xml)?.[1];
}

describe("an OFD file's creation date", () => {
  it('is the date in Beijing, also in the night before 08:00', () => {
    expect(creationDate('2026-12-02T16:00:00Z')).toBe('2026-12-03');
    expect(creationDate('2026-12-02T23:59:59Z')).toBe('2026-12-03');
    expect(creationDate('2026-12-02T15:59:59Z')).toBe('2026-12-02');
    expect(creationDate('2026-12-31T16:30:00Z')).toBe('2027-01-01');
  });
});
