import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { isCalendarMoment } from '../../config/moment-problems.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withSince = (since: string): string =>
  `${VALID_CONFIG}seals:\n  district: { file: ./district.esl, signer: district-seal, status: revoked, since: "${since}" }\n`;

describe('a seal revoked since a time that names no moment', () => {
  it.each([
    '2026-02-30T00:00:00+08:00',
    '2026-04-31T08:00:00Z',
    '2026-03-01T24:00:00+08:00',
    '2026-03-01T10:60Z',
  ])('%s is a config problem at seals.<name>.since', async (since) => {
    const { problems } = await problemsOf(withSince(since));
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'seals.district.since',
        message: `expected a moment of the calendar, got \`${since}\`: no such day or time`,
      }),
    ]);
  });

  it('a real moment (29 February of a leap year, 23:59:59) is none', async () => {
    const file = await writeConfig(withSince('2028-02-29T23:59:59.5+08:00'), {
      'data/keys/seal.key.pem': KEY_PEM,
    });
    const config = await loadConfig({ file, env: {} });
    expect(config.seals?.district?.since).toBe('2028-02-29T23:59:59.5+08:00');
  });

  it('isCalendarMoment tells them apart', () => {
    expect(isCalendarMoment('2026-02-28T23:59Z')).toBe(true);
    expect(isCalendarMoment('2026-02-29T00:00Z')).toBe(false);
    expect(isCalendarMoment('2026-13-01T00:00Z')).toBe(false);
  });
});
