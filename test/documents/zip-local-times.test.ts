// A license file's ZIP entries carry MS-DOS dates and times (PKWARE APPNOTE 4.4.6): wall-clock
// fields with no zone, which zip tools show as they are. They were written as UTC, so a file
// sealed at 13:06 Beijing time listed its parts at 05:06, and one sealed between 00:00 and 08:00
// on the day before the CreationDate its OFD.xml states. They are now the wall clock of the zone
// whose day the CreationDate is (`lifecycle.timeZone`, China Standard Time unless configured).
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import { finishSignature, prepareSignatures, stampBox } from '../../adapters/documents/ofd/ofd-signature.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { foodLicense, foodTemplate } from './fixtures.js';

/** Every entry's date and time, from the local headers and the central directory, as `YYYY-MM-DD hh:mm:ss`. */
function entryTimes(zip: Buffer): string[] {
  const shown = (time: number, date: number) => {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${(date >> 9) + 1980}-${p((date >> 5) & 15)}-${p(date & 31)} ${p(time >> 11)}:${p((time >> 5) & 63)}:${p((time & 31) * 2)}`;
  };
  const out: string[] = [];
  for (let at = 0; at + 4 <= zip.length; at++) {
    const sig = zip.readUInt32LE(at);
    if (sig === 0x04034b50) out.push(shown(zip.readUInt16LE(at + 10), zip.readUInt16LE(at + 12)));
    if (sig === 0x02014b50) out.push(shown(zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)));
  }
  return out;
}

function sealedFile(signedAt: Date, timeZone?: string): Buffer {
  const license = foodLicense(1);
  const info = docInfoFor(license, signedAt, timeZone);
  const [prepared] = prepareSignatures(
    [
      {
        doc: buildOfd(layoutFace(foodTemplate, license), info),
        info,
        stamp: stampBox(foodTemplate.seal, { widthMm: 40, heightMm: 40 }),
      },
    ],
    signedAt,
  );
  return finishSignature(prepared as NonNullable<typeof prepared>, Buffer.alloc(64, 1));
}

describe("a license file's ZIP times", () => {
  it('are the wall clock of China Standard Time unless configured', () => {
    const times = entryTimes(sealedFile(new Date('2026-03-04T05:06:07Z')));
    expect(times.length).toBeGreaterThan(10);
    expect(new Set(times)).toEqual(new Set(['2026-03-04 13:06:06']));
  });

  it('fall on the CreationDate between 00:00 and 08:00 Beijing time', () => {
    const file = sealedFile(new Date('2026-03-04T20:30:00Z'));
    expect(file.includes('<ofd:CreationDate>2026-03-05</ofd:CreationDate>')).toBe(true);
    expect(new Set(entryTimes(file))).toEqual(new Set(['2026-03-05 04:30:00']));
  });

  it("are the configured zone's wall clock", () => {
    const at = new Date('2026-03-04T05:06:07Z');
    expect(new Set(entryTimes(sealedFile(at, 'UTC')))).toEqual(new Set(['2026-03-04 05:06:06']));
    expect(new Set(entryTimes(sealedFile(at, 'Asia/Urumqi')))).toEqual(new Set(['2026-03-04 11:06:06']));
  });

  it('are UTC for an archive written without a zone', () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('a') }], new Date('2026-03-04T23:59:59Z'));
    expect(new Set(entryTimes(zip))).toEqual(new Set(['2026-03-04 23:59:58']));
  });
});
