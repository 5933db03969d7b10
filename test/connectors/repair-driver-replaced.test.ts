/**
 * Charset repair of text the driver already decoded with losses. tedious reads a SQL Server
 * varchar column of a Latin1_General collation as cp1252 through iconv-lite, which has no
 * character for 0x81 0x8D 0x8F 0x90 0x9D and puts U+FFFD there: GBK `垚` (0x88 0x90) loses its
 * second byte. Such text holds a character no single byte decodes to, and used to pass the repair
 * as "already Unicode", mojibake and all.
 */
import iconv from 'iconv-lite';
import { codepageByLanguageId } from 'tedious/lib/collation.js';
import { describe, expect, it } from 'vitest';
import { compileRepair } from '../../connectors/repair/repair.js';
import type { SourceValue } from '../../connectors/source.js';

// LCID 0x0409: SQL_Latin1_General_CP1_CI_AS, the default collation of an English-installed server.
const codepage = codepageByLanguageId[0x0409] as string;
/** What tedious hands over for GBK bytes stored in such a varchar column (value-parser.js readChars). */
const asTedious = (text: string): string => iconv.decode(iconv.encode(text, 'gbk'), codepage);

describe('charset repair of text a driver decoded with losses', () => {
  const repair = compileRepair({ charset: { repair: ['JYZMC'], from: 'gb18030' } });

  it('quarantines a value holding U+FFFD instead of passing its mojibake on', () => {
    expect(codepage).toBe('CP1252');
    const values: Record<string, SourceValue> = { JYZMC: asTedious('王垚'), ID: 1 };
    expect(values.JYZMC).toContain('\ufffd');
    const problems = repair(values);
    expect(problems).toEqual([
      {
        column: 'JYZMC',
        code: 'LB_SOURCE_CHARSET',
        message: expect.stringMatching(
          /^charset repair failed: column JYZMC: 1 character the driver could not decode/,
        ),
      },
    ]);
    expect(values.JYZMC).toBeNull();
  });

  it('still repairs the same column read through tedious when no byte was lost, and bytes read as bytes', () => {
    const values: Record<string, SourceValue> = { JYZMC: asTedious('王磊') };
    expect(repair(values)).toEqual([]);
    expect(values.JYZMC).toBe('王磊');
    const bytes: Record<string, SourceValue> = { JYZMC: new Uint8Array(iconv.encode('王垚', 'gbk')) };
    expect(repair(bytes)).toEqual([]);
    expect(bytes.JYZMC).toBe('王垚');
  });
});
