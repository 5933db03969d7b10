/**
 * lifecycle.timeZone is checked whether or not LICBRIDGE_TODAY pins today: the mapper of a run
 * and of preview takes an instant's day in that zone, and with today pinned a zone this system
 * does not know went unchecked, every row with a zoned instant under `before`/`after` failing
 * LB_MAP_INTERNAL ("Invalid time zone specified") instead of the config being refused once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';

const inZone = (timeZone: string) => ({ lifecycle: { timeZone } }) as unknown as Pick<Config, 'lifecycle'>;

function refusal(timeZone: string): LicbridgeError | undefined {
  try {
    lifecycleToday(inZone(timeZone));
    return undefined;
  } catch (e) {
    return e as LicbridgeError;
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('lifecycleToday checks the zone', () => {
  it('refuses a zone this system does not know with today pinned', () => {
    vi.stubEnv('LICBRIDGE_TODAY', '2024-03-01');
    const e = refusal('Mars/Olympus');
    expect(e).toBeInstanceOf(LicbridgeError);
    expect(e?.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(e?.message).toMatch(/`lifecycle\.timeZone` to be an IANA time zone .*, got `Mars\/Olympus`/);
  });

  it('refuses it with the wall clock too', () => {
    vi.stubEnv('LICBRIDGE_TODAY', '');
    expect(refusal('Mars/Olympus')?.code).toBe(ErrorCodes.CONFIG_INVALID);
  });

  it('gives the pinned day in a zone it knows', () => {
    vi.stubEnv('LICBRIDGE_TODAY', '2024-03-01');
    expect(lifecycleToday(inZone('America/New_York'))()).toBe('2024-03-01');
  });
});
