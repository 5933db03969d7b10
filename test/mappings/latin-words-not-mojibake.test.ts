/**
 * Names and words written in Portuguese, Spanish, German or Finnish put two accented letters side
 * by side inside a word (Conceição, Compañía, Grüße, Jääskeläinen, Hyvää). The input check took any
 * Latin-1 letter followed by another Latin-1 character for GBK bytes read as latin1, so such a row
 * (a Macao resident's name, a foreign-invested company's registered name, which the xml-files
 * source now reads as written from a Latin-1 export) was quarantined LB_MAP_ENCODING, its reason
 * saying the text looked like mojibake, and no transform could let it through. Two Latin-1 letters
 * inside a word of lower-case letters are now read as the word they are; GBK read as latin1 is
 * refused as before wherever it stands alone, beside digits, spaces or capitals, or runs longer.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { checkInput } from '../../mappings/input-guard.js';

const asLatin1 = (text: string): string => iconv.encode(text, 'gbk').toString('latin1');

const WORDS = [
  'José da Conceição',
  'Associação Comercial de Macau',
  'Informação e Ações Ltda',
  'Coração de Jesus',
  'Compañía Müller',
  'Grüße aus Größenwahn GmbH',
  'Jääskeläinen',
  'Hyvää Yötä Oy',
  'Pääomasijoitus Oy',
];

describe('two accented letters inside a word', () => {
  it('pass the input check', () => {
    for (const text of WORDS) expect(checkInput(text), text).toBeNull();
  });

  it('map as written', () => {
    const m = compileMappingText(
      'fields:\n  surface.foreignName: { from: WMC, transform: [trim] }\n',
      '/maps/m.yaml',
    );
    for (const text of WORDS) {
      const r = m.map({ WMC: ` ${text} ` });
      expect(r.ok ? r.fields.surface.foreignName : r.reasons.map((x) => x.code), text).toBe(text);
    }
  });
});

describe('GBK read as latin1 is still refused', () => {
  it('a Chinese character glued to capitals or digits (A区, SOHO区, 3号)', () => {
    for (const text of ['A区', 'SOHO区', 'A区B栋', '3号', 'CBD区3号楼', 'Block A区']) {
      expect(checkInput(asLatin1(text))?.code, text).toBe('LB_MAP_ENCODING');
    }
  });

  it('a Chinese character after a single letter at a word end, or between spaces', () => {
    for (const text of ['x区', 'No.3 区 A', 'a区 b']) {
      expect(checkInput(asLatin1(text))?.code, text).toBe('LB_MAP_ENCODING');
    }
  });

  it('three or more Latin-1 letters in a row, and Latin-1 letters alone', () => {
    for (const text of ['abÇøÇa', 'ÀÉ', 'Àé', 'abÇøÇ']) {
      expect(checkInput(text)?.code, text).toBe('LB_MAP_ENCODING');
    }
  });

  it('every GB2312 character read as latin1 among lower-case words but apart from them', () => {
    for (let lead = 0xc0; lead <= 0xf7; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        const pair = Buffer.from([lead, trail]).toString('latin1');
        for (const text of [`abc ${pair} def`, `abc${pair}`.slice(2), `${pair}abc`, `abc ${pair}`]) {
          expect(checkInput(text)?.code, `${lead.toString(16)}${trail.toString(16)} in ${text}`).toBe(
            'LB_MAP_ENCODING',
          );
        }
      }
    }
  });
});
