/**
 * The XML declaration's encoding label, read in one place (core/encoding-labels.ts) for export
 * files (connectors/xml-files/decode.ts) and platform answers (adapters/tls-http.ts): as written,
 * from the first 512 bytes, within a Buffer that is a view into a larger one.
 */
import { describe, expect, it } from 'vitest';
import { xmlDeclaredEncoding } from '../../core/encoding-labels.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('xmlDeclaredEncoding', () => {
  it('names the label as written, in either quotes, after leading white space', () => {
    expect(xmlDeclaredEncoding(bytes('<?xml version="1.0" encoding="GB_2312"?><a/>'))).toBe('GB_2312');
    expect(xmlDeclaredEncoding(bytes("\r\n <?xml version='1.0' encoding = 'utf_8'?><a/>"))).toBe('utf_8');
    expect(xmlDeclaredEncoding(bytes('<?xml version="1.0" standalone="yes" encoding="x-mswin-936"?>'))).toBe(
      'x-mswin-936',
    );
  });

  it('null without a declaration, or with one naming no encoding, or one not at the start', () => {
    expect(xmlDeclaredEncoding(bytes('<a encoding="gbk"/>'))).toBeNull();
    expect(xmlDeclaredEncoding(bytes('<?xml version="1.0"?><a encoding="gbk"/>'))).toBeNull();
    expect(xmlDeclaredEncoding(bytes('<a/><?xml version="1.0" encoding="gbk"?>'))).toBeNull();
    expect(xmlDeclaredEncoding(new Uint8Array(0))).toBeNull();
  });

  it('reads the first 512 bytes only', () => {
    // The label's closing quote, 3 characters before the end, at byte 512 (index 511) or 513.
    const declaration = '<?xml version="1.0" encoding="GBK"?>';
    expect(xmlDeclaredEncoding(bytes(`${' '.repeat(514 - declaration.length)}${declaration}`))).toBe('GBK');
    expect(xmlDeclaredEncoding(bytes(`${' '.repeat(515 - declaration.length)}${declaration}`))).toBeNull();
  });

  it('reads a view at its own offset, not the buffer under it', () => {
    const whole = bytes('<?xml version="1.0" encoding="big5"?><?xml version="1.0" encoding="GBK"?>');
    const view = whole.subarray(whole.indexOf('<?xml', 1));
    expect(xmlDeclaredEncoding(view)).toBe('GBK');
    expect(xmlDeclaredEncoding(new Uint8Array(view.buffer, view.byteOffset, view.length))).toBe('GBK');
  });
});
