import { describe, expect, it } from 'vitest';
import { shownName } from '../../connectors/sql/resolve-stream.js';

describe('names in source messages', () => {
  it('echoes a name, but only describes a value that cannot be one', () => {
    expect(shownName('dbo.T_SPXK_XKZ')).toBe('dbo.T_SPXK_XKZ');
    const pasted = `-----BEGIN TEST-----\n${'QUJD'.repeat(40)}\n-----END TEST-----\n`;
    expect(shownName(pasted)).toBe(`(a value of ${pasted.length} characters that is not a name)`);
    expect(shownName('x'.repeat(200))).toBe('(a value of 200 characters that is not a name)');
  });
});
