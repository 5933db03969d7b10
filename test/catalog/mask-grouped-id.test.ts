/**
 * A resident ID number written in its groups — area, birth date, sequence and check, with a space
 * or a dash between them, as forms and scans print it (`110105 19491231 002X`) — is masked in any
 * text like one written whole; other digit groups are left as they are. One space and one dash
 * (`110105 19491231-002X`) is such a number too: test/core/id-mixed-groups.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalShapes } from '../../catalog/personal.js';

describe('resident ID numbers written in groups', () => {
  it('masks one with spaces or dashes between its groups', () => {
    expect(maskPersonalShapes('持证人 110105 19491231 002X 已注销')).toBe(
      '持证人 1101** ******** 002X 已注销',
    );
    expect(maskPersonalShapes('id=110105-19491231-002x;')).toBe('id=1101**-********-002x;');
  });

  it('leaves groups that are no ID number: no birth date, a longer run', () => {
    for (const text of ['batch 110105 19491331 002X', 'code 1110105 19491231 002X'])
      expect(maskPersonalShapes(text)).toBe(text);
  });
});
