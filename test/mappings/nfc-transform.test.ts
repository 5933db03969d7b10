// Text exported in another Unicode form — `é` as one character by one legacy tool, as `e` and a
// combining accent (U+0301) by another, or by the same tool after an upgrade — maps, with `nfc`, to
// the same text and so to the same content hash: no new version for a change nobody made. CJK
// compatibility ideographs, which GBK and GB18030 decoders give for some bytes, stay as the
// unit's database holds them, where plain NFC would replace them by other code points.
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { compileMappingText } from '../../mappings/compile.js';
import type { InputValue } from '../../mappings/types.js';
import { foodLicense } from '../documents/fixtures.js';

function mapped(transform: string, value: InputValue): unknown {
  const m = compileMappingText(`fields:\n  surface.out: { from: V, transform: ${transform} }\n`, 't.yaml');
  const r = m.map({ V: value });
  return r.ok ? r.fields.surface.out : r.reasons.map((x) => x.code);
}

const composed = 'José Müller，青岛市黄岛区';
const decomposed = 'Jose\u0301 Mu\u0308ller，青岛市黄岛区';

describe('the nfc transform', () => {
  it('maps text in composed and decomposed form to one text, and one content hash', () => {
    expect(decomposed).not.toBe(composed);
    expect(mapped('[trim, nfc]', decomposed)).toBe(composed);
    expect(mapped('[trim, nfc]', composed)).toBe(composed);
    const hashOf = (name: unknown) => {
      const license = foodLicense(1);
      license.holder.name = name as string;
      return contentHash(license);
    };
    expect(hashOf(mapped('[nfc]', decomposed))).toBe(hashOf(mapped('[nfc]', composed)));
    // Without it, the two forms are two texts, as the source holds them.
    expect(hashOf(mapped('[trim]', decomposed))).not.toBe(hashOf(mapped('[trim]', composed)));
  });

  it('keeps CJK compatibility ideographs, composing what stands around them', () => {
    // U+F92C (GBK FD9C) and U+2F800 (a supplementary one): NFC alone would give U+90CE and U+4E3D.
    for (const ideograph of ['\uF92C', '\u{2F800}']) {
      expect(ideograph.normalize('NFC')).not.toBe(ideograph);
      expect(mapped('[nfc]', `${ideograph}e\u0301${ideograph}A\u030A`)).toBe(`${ideograph}é${ideograph}Å`);
    }
  });

  it('passes null and lists through as the other text transforms do', () => {
    expect(mapped('[nfc]', null)).toBeNull();
    expect(mapped('[{ split: "；" }, nfc]', 'e\u0301；a\u0300')).toEqual(['é', 'à']);
  });
});
