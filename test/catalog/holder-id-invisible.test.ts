/**
 * A holder id holding an invisible character (a zero-width space or word joiner pasted in with
 * it, a byte order mark from an export) looks right on every screen, and its masked value in a
 * reason too; its reason said only "expected 18 chars 0-9 A-Z", which the id as shown is. The
 * reason now names the character by its code point and where it stands (no digit of the id).
 */
import { describe, expect, it } from 'vitest';
import { checkHolderId } from '../../catalog/holder-id.js';

describe('a holder id with an invisible character', () => {
  it('names it in a credit code reason', () => {
    const problem = checkHolderId('001', '91370406L24894136J\u200B');
    expect(problem?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(problem?.message).toContain(
      'it holds U+200B ZERO WIDTH SPACE, an invisible character, at character 19',
    );
  });

  it('names it in a resident ID reason, without the number', () => {
    const problem = checkHolderId('111', '110105\u206019491231002X');
    expect(problem?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(problem?.message).toContain('it holds U+2060 WORD JOINER, an invisible character, at character 7');
    expect(problem?.message).not.toMatch(/19491231/);
  });

  it('says nothing of the kind for an id without one', () => {
    expect(checkHolderId('001', '91370406L2489413')?.message).not.toContain('invisible');
    expect(checkHolderId('111', '1101051949123100')?.message).not.toContain('invisible');
  });
});
