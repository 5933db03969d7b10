// "Born in the future" is judged against today in China Standard Time, not the host's zone: a
// licbridge host on UTC is still on yesterday between 00:00 and 08:00 in Beijing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHolderId, isValidResidentId, residentIdCheckChar } from '../../catalog/holder-id.js';

const bornOn = (yyyymmdd: string): string => {
  const first17 = `110105${yyyymmdd}001`;
  return first17 + residentIdCheckChar(first17);
};

describe('resident id birth date against today in Asia/Shanghai', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts a child born today in Beijing while the UTC date is still yesterday', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-01T17:00:00Z')); // 2026-12-02 01:00 in Beijing
    expect(checkHolderId('111', bornOn('20261202'))).toBeNull();
    expect(checkHolderId('111', bornOn('20261203'))?.code).toBe('LB_HOLDER_ID_DATE');
  });

  it('moves to the next day at midnight Beijing time, not midnight UTC', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-01T15:59:59Z')); // 23:59:59 on 12-01 in Beijing
    expect(isValidResidentId(bornOn('20261202'))).toBe(false);
    vi.setSystemTime(new Date('2026-12-01T16:00:00Z')); // 00:00 on 12-02 in Beijing
    expect(isValidResidentId(bornOn('20261202'))).toBe(true);
  });

  it('reads a given moment on the Beijing calendar too', () => {
    expect(isValidResidentId(bornOn('20261202'), new Date('2026-12-01T17:00:00Z'))).toBe(true);
    expect(isValidResidentId(bornOn('20261202'), new Date('2026-12-01T15:00:00Z'))).toBe(false);
  });
});
