/**
 * A key as a legacy client stored it in a latin1 column: its bytes in `from` (GBK unless told),
 * each read as one latin1 character — by Windows-1252, as MySQL's latin1 reads it (its five
 * unassigned bytes, 0x81, 0x8D, 0x8F, 0x90 and 0x9D, as U+0081 …), or by ISO 8859-1.
 */
import iconv from 'iconv-lite';

export const cp1252 = (text: string, from = 'gbk'): string =>
  [...iconv.encode(text, from)]
    .map((b) => {
      const c = iconv.decode(Buffer.from([b]), 'windows-1252');
      return c === '\ufffd' ? String.fromCharCode(b) : c;
    })
    .join('');

export const iso = (text: string, from = 'gbk'): string => iconv.encode(text, from).toString('latin1');
