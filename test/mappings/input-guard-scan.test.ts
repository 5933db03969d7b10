import { describe, expect, it } from 'vitest';
import { checkInput } from '../../mappings/input-guard.js';

// The input checks as the mapping language specifies them (docs/mapping-language.md), one regex
// each: the guard's quick scan must never let through what one of them would catch.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MOJIBAKE = /[\u00C0-\u00FF][\u0080-\u00FF]|[\u00A1-\u00FF]{4}|^\s*[\u00A1-\u00FF]{2,}\s*$/;
const EMOJI = /\p{Emoji_Presentation}|\u{FE0F}/u;
const NONCHARACTER = /[\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const C0_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A C1 control beside another high byte: a GBK extension character read as latin1 (喆 `\u0086´`).
const C1_PAIR = /[\u0081-\u009F][\u0080-\u00FE]|[\u0081-\u00FE][\u0080-\u009F]/;

function expected(text: string): string | null {
  if (CONTROL.test(text)) {
    const mojibake = !C0_CONTROL.test(text) && (C1_PAIR.test(text) || MOJIBAKE.test(text));
    return mojibake ? 'LB_MAP_ENCODING' : 'LB_MAP_CONTROL_CHAR';
  }
  if (LONE_SURROGATE.test(text) || text.includes('\uFFFD')) return 'LB_MAP_ENCODING';
  if (NONCHARACTER.test(text)) return 'LB_MAP_ENCODING';
  if (MOJIBAKE.test(text)) return 'LB_MAP_ENCODING';
  if (EMOJI.test(text)) return 'LB_MAP_CHARSET';
  return null;
}

describe('checkInput on every BMP code unit', () => {
  it('gives the code the specified checks give, alone and inside clean text', () => {
    // Compared here and asserted once: an expect per text (196,608 of them) cost more than the checks.
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `张三${ch}丰`, `${ch}Ã`]) {
        const got = checkInput(text)?.code ?? null;
        const want = expected(text);
        if (got !== want)
          differ.push(`U+${c.toString(16)} in ${JSON.stringify(text)}: ${got}, expected ${want}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('refuses U+FFFE and U+FFFF, which XML cannot carry, naming them', () => {
    expect(checkInput('张\uFFFF三')).toMatchObject({
      code: 'LB_MAP_ENCODING',
      message: expect.stringContaining('U+FFFF'),
    });
    expect(checkInput('\uFFFE')?.code).toBe('LB_MAP_ENCODING');
  });

  it('catches supplementary emoji and accepts supplementary CJK', () => {
    expect(checkInput('张😀')?.code).toBe('LB_MAP_CHARSET');
    expect(checkInput('𠮷野家')).toBeNull();
  });
});
