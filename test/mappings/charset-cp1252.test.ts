/**
 * `repairCharset` on text that came through a latin1 connection. MySQL's latin1 is Windows-1252:
 * GBK bytes 0x80–0x9F arrive as `€`, `†`, `™` … (0x81 0x8D 0x8F 0x90 0x9D as U+0081 …), a true
 * ISO-8859-1 decode gives U+0080 … U+009F. For every byte 0x80–0x9F, as a trail byte and as a lead
 * byte, the repair gives the original characters — decoded here by the WHATWG GB18030 decoder
 * (TextDecoder), not by the library under test — or refuses, pointing to the source-level repair;
 * it never passes mojibake on.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

// python3: {b: ord(bytes([b]).decode('cp1252')) for b in range(0x80, 0xa0)} for the 27 defined bytes.
const CP1252: Readonly<Record<number, number>> = {
  128: 0x20ac,
  130: 0x201a,
  131: 0x0192,
  132: 0x201e,
  133: 0x2026,
  134: 0x2020,
  135: 0x2021,
  136: 0x02c6,
  137: 0x2030,
  138: 0x0160,
  139: 0x2039,
  140: 0x0152,
  142: 0x017d,
  145: 0x2018,
  146: 0x2019,
  147: 0x201c,
  148: 0x201d,
  149: 0x2022,
  150: 0x2013,
  151: 0x2014,
  152: 0x02dc,
  153: 0x2122,
  154: 0x0161,
  155: 0x203a,
  156: 0x0153,
  158: 0x017e,
  159: 0x0178,
};

/** What MySQL hands over for a latin1 column's bytes (cp1252; undefined bytes as their C1 code point). */
const viaMysqlLatin1 = (bytes: number[]) => String.fromCharCode(...bytes.map((b) => CP1252[b] ?? b));
/** What an ISO-8859-1 decode gives. */
const viaIsoLatin1 = (bytes: number[]) => String.fromCharCode(...bytes);
const gb18030 = (bytes: number[]) =>
  new TextDecoder('gb18030', { fatal: true }).decode(Uint8Array.from(bytes));

const mapping = compileMappingText(
  'fields:\n  surface.out: { from: V, transform: [{ repairCharset: gb18030 }] }\n',
  't.yaml',
);
function repair(text: string): { value?: unknown; codes?: string[]; messages?: string[] } {
  const r = mapping.map({ V: text });
  return r.ok
    ? { value: r.fields.surface.out }
    : { codes: r.reasons.map((x) => x.code), messages: r.reasons.map((x) => x.message) };
}

const HIGH = Array.from({ length: 32 }, (_, i) => 0x80 + i);
const hex = (b: number) => `0x${b.toString(16)}`;

describe('repairCharset through a latin1 connection, every byte 0x80–0x9F', () => {
  // 青 (C7 E0) 岛 (B5 BA) around a character whose trail byte is b: 0xB0 b is a GBK character for every b.
  const trail = (b: number) => [0xc7, 0xe0, 0xb0, b, 0xb5, 0xba];
  it.each(HIGH.map((b) => [hex(b), b]))('as a trail byte (%s), via MySQL latin1 and ISO-8859-1', (_h, b) => {
    const expected = gb18030(trail(b as number));
    expect(repair(viaMysqlLatin1(trail(b as number)))).toEqual({ value: expected });
    expect(repair(viaIsoLatin1(trail(b as number)))).toEqual({ value: expected });
  });

  const lead = HIGH.filter((b) => b >= 0x81);
  it.each(lead.map((b) => [hex(b), b]))('as a lead byte (%s), via MySQL latin1 and ISO-8859-1', (_h, b) => {
    const bytes = [b as number, 0x40, 0x41];
    const expected = gb18030(bytes);
    expect(repair(viaMysqlLatin1(bytes))).toEqual({ value: expected });
    expect(repair(viaIsoLatin1(bytes))).toEqual({ value: expected });
  });

  it('refuses bytes that are not GB18030, pointing to the source-level repair', () => {
    // 0xFF starts no GB18030 character, and a lead byte at the end has no trail.
    for (const bytes of [
      [0xff, 0x41],
      [0xc7, 0xe0, 0xb0],
    ]) {
      const r = repair(viaMysqlLatin1(bytes));
      expect(r.codes).toEqual(['LB_MAP_ENCODING']);
      expect(r.messages?.[0]).toContain('sources.<name>.charset');
    }
  });

  it('leaves real text alone, curly quotes and all', () => {
    expect(repair('青岛“海滨”食品')).toEqual({ value: '青岛“海滨”食品' });
    expect(repair('plain ascii')).toEqual({ value: 'plain ascii' });
  });
});
