/**
 * A condition reads its column as written: a code typed full-width (０１) does not equal `01`, and
 * the row takes the next rule. docs/mapping-language.md says so and gives the two ways to hold
 * both forms; these pin that what it says is what happens.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const statusBy = (when: string) =>
  compileMappingText(
    `fields:\n  status:\n    - { when: ${when}, const: revoked }\n    - { const: valid }\n`,
    '/maps/m.yaml',
  );

describe('conditions on full-width codes', () => {
  it('equals: "01" does not hold for ０１', () => {
    const out = statusBy('{ column: ZT, equals: "01" }').map({ ZT: '０１' });
    expect(out.ok && out.fields.status).toBe('valid');
  });

  it.each([['{ column: ZT, in: ["01", "０１"] }'], ['{ column: ZT, matches: "^(01|０１)$" }']])(
    '%s, as the docs say, holds for both forms',
    (when) => {
      const mapping = statusBy(when);
      for (const code of ['01', '０１', ' ０１ ']) {
        const out = mapping.map({ ZT: code });
        expect(out.ok && out.fields.status, code).toBe('revoked');
      }
      const other = mapping.map({ ZT: '02' });
      expect(other.ok && other.fields.status).toBe('valid');
    },
  );
});
