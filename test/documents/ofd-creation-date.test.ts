// OFD.xml's CreationDate (xs:date, no zone) is the date where the license is issued: the
// department's clock, `lifecycle.timeZone` (China Standard Time, UTC+8, unless configured), as
// for every other "day" licbridge writes. It was the UTC date, so a file issued between 00:00 and
// 08:00 Beijing time — the night, when stock licenses are issued in bulk — showed the day before.
// A department configured on another zone (Asia/Urumqi, UTC+6) sees its own date, not Beijing's.
import { describe, expect, it } from 'vitest';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { ofdEntryXml } from '../../adapters/documents/ofd/ofd-package.js';
import { foodLicense } from './fixtures.js';

function creationDate(at: string, timeZone?: string): string | undefined {
  const xml = ofdEntryXml(docInfoFor(foodLicense(1), new Date(at), timeZone), null);
  return /<ofd:CreationDate>([^<]*)<\/ofd:CreationDate>/.exec(xml)?.[1];
}

describe("an OFD file's creation date", () => {
  it('is the date in Beijing by default, also in the night before 08:00', () => {
    expect(creationDate('2026-12-02T16:00:00Z')).toBe('2026-12-03');
    expect(creationDate('2026-12-02T23:59:59Z')).toBe('2026-12-03');
    expect(creationDate('2026-12-02T15:59:59Z')).toBe('2026-12-02');
    expect(creationDate('2026-12-31T16:30:00Z')).toBe('2027-01-01');
  });

  it("is the date in the configured zone (lifecycle.timeZone), not always Beijing's", () => {
    // 17:30 UTC: 01:30 on the 3rd in Beijing, 23:30 on the 2nd in Urumqi (UTC+6).
    expect(creationDate('2026-12-02T17:30:00Z', 'Asia/Urumqi')).toBe('2026-12-02');
    expect(creationDate('2026-12-02T18:30:00Z', 'Asia/Urumqi')).toBe('2026-12-03');
    expect(creationDate('2026-12-02T17:30:00Z', 'Asia/Shanghai')).toBe('2026-12-03');
  });
});
