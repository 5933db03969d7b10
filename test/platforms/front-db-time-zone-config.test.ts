/** A front-db target's `timeZone` must be a zone Intl knows: the pattern alone admits `Asia/Shangai`. */
import { describe, expect, it } from 'vitest';
import { frontDbKind } from '../../adapters/platforms/front-db/kind.js';
import { frontDbConfig } from './front-db-fixtures.js';

describe('front-db timeZone setting', () => {
  const problems = (timeZone: string | undefined) =>
    frontDbKind.problems('city', {
      ...frontDbConfig('postgres', { connection: { host: 'db.example' } }, 'UP_LIC_DATA'),
      ...(timeZone === undefined ? {} : { timeZone }),
    });

  it('takes a known zone, or none (Asia/Shanghai)', () => {
    expect(problems('Asia/Urumqi')).toEqual([]);
    expect(problems(undefined)).toEqual([]);
  });

  it('names a zone this machine does not know', () => {
    expect(problems('Asia/Shangai')).toEqual([
      {
        path: ['timeZone'],
        message:
          'expected `targets.city.timeZone` to be an IANA time zone such as Asia/Shanghai, got `Asia/Shangai`, which this system does not know',
      },
    ]);
  });
});
