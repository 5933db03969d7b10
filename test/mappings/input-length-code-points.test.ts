/**
 * The input check's 4,000-character limit counts characters as the catalog's `maxLength` and
 * `pad` do: by code point. 𠮷 (U+20BB7, a rare name character) is one code point written as
 * two UTF-16 code units.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { checkInput, MAX_TEXT_LENGTH } from '../../mappings/input-guard.js';

const RARE = '\u{20BB7}';

describe('text length limit in characters', () => {
  it('accepts text of at most 4,000 characters, however many code units they take', () => {
    expect(checkInput(RARE.repeat(MAX_TEXT_LENGTH))).toBeNull();
    expect(checkInput(`${'青'.repeat(MAX_TEXT_LENGTH - 1)}${RARE}`)).toBeNull();
  });

  it('refuses text past 4,000 characters, with its length in characters', () => {
    expect(checkInput(RARE.repeat(MAX_TEXT_LENGTH + 1))).toEqual({
      code: 'LB_MAP_TOO_LONG',
      message: 'text of 4001 chars exceeds 4000',
    });
    expect(checkInput('a'.repeat(MAX_TEXT_LENGTH + 2))).toEqual({
      code: 'LB_MAP_TOO_LONG',
      message: 'text of 4002 chars exceeds 4000',
    });
  });

  it('a row whose text is 4,000 characters of the supplementary planes is mapped', () => {
    const m = compileMappingText('fields:\n  surface.note: { from: N }\n', '/maps/m.yaml');
    const r = m.map({ N: RARE.repeat(MAX_TEXT_LENGTH) });
    expect(r.ok ? r.fields.surface.note : r.reasons.map((x) => x.code)).toBe(RARE.repeat(MAX_TEXT_LENGTH));
  });
});
