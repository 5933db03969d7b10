/**
 * A front database's refusal reason (its `exchangeStatus.reasonColumn`) was cut to 500 characters
 * where it was read, before the deliver stage masked the license's values in it: a holder's name or
 * ID number standing across the cut was kept in part ('…持证人欧阳'), which the masking of the whole
 * value no longer found, and once the values before it were masked (a long business scope the
 * exchange system echoed) that part stood within the 200 characters stored as the dead letter's
 * reason. The cut now says so, and a part of a license's value that ends a cut text is masked too.
 */
import { describe, expect, it } from 'vitest';
import { outcomeOfCode, stateOf } from '../../adapters/platforms/front-db/exchange-status.js';
import { withSafeReasons } from '../../pipelines/stages/deliver-reasons.js';
import { HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';

const KEY = 'lic-000001:1:city';
const CODES = { accepted: ['1'], rejected: ['2'], reasonColumn: 'REFUSE_REASON' };
const OPENING = '经营范围超长：';
const BEFORE_VALUE = '；持证人';
/** Where the reason column's text is cut as it is read. */
const CUT = 500;

/**
 * The business scope the exchange system echoes, as long as puts the value after it across the cut:
 * `inside` of the value's characters before it.
 */
function scopeFor(inside: number): string {
  const length = CUT - inside - OPENING.length - BEFORE_VALUE.length;
  return '预包装食品销售热食类食品制售冷食类食品制售'.repeat(30).slice(0, length);
}

/** The reason stored for a refusal whose reason column reads `reason`, of a license with `scope`. */
function storedReason(reason: string, scope: string): string {
  const state = stateOf({ EXCHANGE_STATUS: '2', REFUSE_REASON: reason }, CODES);
  const outcome = outcomeOfCode(KEY, state, CODES, { target: 'city', table: 'UP_LIC_DATA' });
  expect(outcome.state).toBe('rejected');
  const license = sampleLicense(1, { surface: { scope } });
  const [safe] = withSafeReasons([outcome], new Map([[KEY, license]]));
  return safe?.reasons?.[0] ?? '';
}

/** Every run of `n` characters of `value`. */
const partsOf = (value: string, n: number): string[] =>
  Array.from({ length: value.length - n + 1 }, (_, i) => value.slice(i, i + n));

describe('front-db: a refusal reason cut as it is read', () => {
  it('keeps no part of a holder name across the cut', () => {
    const scope = scopeFor(2);
    const stored = storedReason(`${OPENING}${scope}${BEFORE_VALUE}${HOLDER_NAME}与登记不符`, scope);

    expect(stored).toContain(`${BEFORE_VALUE}***`);
    for (const part of partsOf(HOLDER_NAME, 2)) expect(stored).not.toContain(part);
  });

  it('keeps no part of an ID number across the cut', () => {
    const scope = scopeFor(10);
    const stored = storedReason(`${OPENING}${scope}${BEFORE_VALUE}${HOLDER_ID}校验失败`, scope);

    expect(stored).toContain(`${BEFORE_VALUE}***`);
    for (const part of partsOf(HOLDER_ID, 4)) expect(stored).not.toContain(part);
  });

  it('keeps a reason within the bound whole, its values masked', () => {
    const stored = storedReason(`持证人${HOLDER_NAME}与登记不符`, 'short');

    expect(stored).toBe(
      'exchange system refused the row of UP_LIC_DATA (EXCHANGE_STATUS 2): 持证人***与登记不符',
    );
  });
});
