/**
 * A reason code comes from the ledger's rows, that is from data: the sentences for it must be
 * looked up among the codes the module explains, not along the lookup tables' prototype chain.
 * A code named like an Object.prototype member (`constructor`, `toString`, `__proto__`) is an
 * unknown code and gets the general sentence, not a function or `undefined` on the worklist.
 */
import { describe, expect, it } from 'vitest';
import { leavingText, reasonText } from '../../pipelines/quarantine-reasons.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('quarantine reason texts for codes named like prototype members', () => {
  const general = reasonText('LB_NO_SUCH_CODE');

  for (const code of PROTOTYPE_NAMES) {
    it(`${code} reads the general sentences`, () => {
      const text = reasonText(code);
      expect(text).toEqual(general);
      expect(typeof text.zh).toBe('string');
      expect(typeof text.en).toBe('string');
    });

    it(`${code} has no sentence on leaving the list`, () => {
      expect(leavingText(code)).toBeUndefined();
    });
  }

  it('a code the module explains still reads its own sentences', () => {
    expect(reasonText('LB_HOLDER_ID_EMPTY').en).toContain('ID number is empty');
    expect(leavingText('LB_VERSION_LIMIT')?.en).toContain('quarantine resolve');
  });
});
