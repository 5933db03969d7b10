/**
 * LB_SCHEMA_PATTERN is what a license number or a holder's name with a space at its start or end
 * (CHAR padding, a stray space), or a blank one, is quarantined for (catalog/validate-license.ts),
 * besides a catalog's own patterns. The worklist gave it the general schema sentence ("check and
 * correct it"), which does not say what to look for: the space cannot be seen in the business
 * system. It now has sentences of its own, naming the space, in Chinese and English.
 */
import { describe, expect, it } from 'vitest';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';

describe('quarantine sentences for LB_SCHEMA_PATTERN', () => {
  it('has its own, naming the space at the start or end, in Chinese and English', () => {
    const general = reasonText('LB_SCHEMA_NO_SUCH_RULE');
    expect(explainedCodes()).toContain('LB_SCHEMA_PATTERN');
    const text = reasonText('LB_SCHEMA_PATTERN');
    expect(text.zh).not.toBe(general.zh);
    expect(text.en).not.toBe(general.en);
    expect(text.zh).toContain('空格');
    expect(text.en).toContain('space');
  });
});
