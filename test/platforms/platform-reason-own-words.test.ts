// What scrubPlatformReason keeps beside what failureMessage hides (adapters/platforms/shared/platform-text.ts).
import { describe, expect, it } from 'vitest';
import { scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';

describe('scrubPlatformReason', () => {
  it("hides what a platform's backticks hold, and keeps licbridge's own", () => {
    const own = 'target city: exchange table UP_LIC_DATA holds EXCHANGE_STATUS `7`, a code in none of `x`';
    expect(scrubPlatformReason(own, [], true)).toBe(own);
    expect(scrubPlatformReason('持有人 `欧阳秀英` 不一致', [])).toBe('持有人 `***` 不一致');
  });

  it('says nothing for no words, as a server answering a code only', () => {
    expect(scrubPlatformReason('', [])).toBe('');
    expect(scrubPlatformReason(' \n ', [])).toBe('');
  });
});
