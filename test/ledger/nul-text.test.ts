/**
 * A page as a PostgreSQL ledger can store it (ledger/nul-text.ts): a candidate whose key holds a
 * NUL is quarantined under its key with the NUL written `\u0000`, the reason naming the key column
 * and masking an ID number in the key; a row already quarantined keeps its reasons under that
 * key; a page without such a key is handed back as it is.
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalShapes } from '../../catalog/personal.js';
import type { CommitPageInput, VersionCandidate } from '../../ledger/ledger.js';
import { CODE_KEY_NUL, keepNulKeysOut, shownNul } from '../../ledger/nul-text.js';

const candidate = (sourceKey: string) => ({ sourceKey, licenseId: `L-${sourceKey}` }) as VersionCandidate;

const page = (over: Partial<CommitPageInput>): CommitPageInput => ({
  pipeline: 'p',
  runId: 'r',
  checkpoint: 'c',
  rowsRead: 3,
  keyName: 'SFZH',
  candidates: [],
  quarantined: [],
  ...over,
});

describe('keys holding a NUL on a PostgreSQL ledger', () => {
  it('quarantines the row under its key with the NUL written out, the ID number in it masked', () => {
    const id = '110105199001011234';
    const out = keepNulKeysOut(
      page({
        candidates: [candidate('A1'), candidate(`${id}\u0000`)],
        quarantined: [{ sourceKey: 'Q\u00001', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
      }),
    );
    expect(out.candidates.map((c) => c.sourceKey)).toEqual(['A1']);
    expect(out.quarantined.map((q) => q.sourceKey)).toEqual(['Q\\u00001', `${id}\\u0000`]);
    expect(out.quarantined[0]?.reasons.map((r) => r.code)).toEqual([CODE_KEY_NUL, 'LB_MAP_DATE']);
    const [reason] = out.quarantined[1]?.reasons ?? [];
    expect(reason).toMatchObject({ code: CODE_KEY_NUL, column: 'SFZH' });
    expect(reason?.message).toContain('key column `SFZH` holds a NUL character (U+0000)');
    expect(reason?.message).toContain('\\u0000');
    expect(reason?.message).not.toContain(id);
    expect(reason?.message).not.toContain('\u0000');
  });

  it('masks an ID or mobile number right after the NUL, in the reason and where the key is shown', () => {
    // Written out, the NUL ends in a digit (`\u0000`): a number after it read as part of a longer
    // word, and stood unmasked in the reason and the worklist (`\u0000110105199003071234`).
    const id = '110105199003071234';
    const mobile = '13800138000';
    const out = keepNulKeysOut(
      page({ candidates: [candidate(`\u0000${id}`), candidate(`A\u0000${mobile}`)] }),
    );
    expect(out.quarantined.map((q) => q.sourceKey)).toEqual([`\\u0000${id}`, `A\\u0000${mobile}`]);
    for (const q of out.quarantined) {
      const message = q.reasons[0]?.message ?? '';
      expect(message).not.toContain(id);
      expect(message).not.toContain(mobile);
      expect(maskPersonalShapes(q.sourceKey)).not.toMatch(/110105199003071234|13800138000/);
    }
    expect(out.quarantined[0]?.reasons[0]?.message).toContain('(key \\u00001101**********1234)');
  });

  it('hands a page without such a key back as it is', () => {
    const input = page({ candidates: [candidate('A1')] });
    expect(keepNulKeysOut(input)).toBe(input);
    expect(shownNul('a\u0000b\u0000')).toBe('a\\u0000b\\u0000');
  });
});
