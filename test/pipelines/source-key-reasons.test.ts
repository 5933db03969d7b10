/**
 * Every problem a SQL source gives a row it cannot key has its own sentences for the quarantine
 * worklist: without them an operator read "pass the reason code to the technical staff" for a
 * record whose key a clerk can correct in the business system.
 */
import { describe, expect, it } from 'vitest';
import { CODE_KEY_DUPLICATE } from '../../connectors/sql/repeated-keys.js';
import { CODE_KEY_AMBIGUOUS } from '../../connectors/sql/row-keys.js';
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import { CODE_KEY_NUL } from '../../ledger/nul-text.js';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';

describe('quarantine sentences for rows without a usable key', () => {
  const general = reasonText('LB_NO_SUCH_CODE');
  for (const code of [CODE_KEY_MISSING, CODE_KEY_AMBIGUOUS, CODE_KEY_DUPLICATE, CODE_KEY_NUL]) {
    it(`${code} has its own sentences, in Chinese and English`, () => {
      expect(explainedCodes()).toContain(code);
      expect(reasonText(code).zh).not.toBe(general.zh);
      expect(reasonText(code).en).not.toBe(general.en);
    });
  }
});
