/**
 * Oracle NUMBER values between -1 and 1 (STANDARDS §6, "NUMBER precision"). An Oracle source
 * fetches NUMBER as text, so that no digit is lost; node-oracledb makes that text as Oracle's own
 * number-to-text conversion does, in thin mode (oracledb/lib/impl/datahandlers/buffer.js
 * parseOracleNumber) and in thick mode alike: without the zero before the point, `.5` and `-.25`.
 * Handed over so, a registered capital of 0.5 (万元) or an area of 0.25 was refused by the mapping's
 * `number` transform (`text is not a decimal number`) and its row quarantined, or went to the
 * platform as `.5`. It is handed over as the decimal it is, `0.5`, every digit kept.
 *
 * No Oracle server runs here: the values are the text node-oracledb hands over for a NUMBER.
 */
import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { normaliseValue } from '../../connectors/sql/values.js';
import { createTransformRegistry } from '../../mappings/transforms.js';

const normalise = oracleDialect.normalise as NonNullable<SqlDialect['normalise']>;
/** A NUMBER(12,4) column's value as the connector hands it to the mappings. */
const value = (text: string) => normaliseValue(normalise(text, 'NUMBER(12,4)'), true);

describe('oracle NUMBER text without a zero before the point', () => {
  it('is handed over as the decimal it is', () => {
    expect(value('.5')).toBe('0.5');
    expect(value('-.25')).toBe('-0.25');
    expect(value('.0001')).toBe('0.0001');
    // Other text as before: integers as numbers where exact, decimals as their text.
    expect(value('12.5')).toBe('12.5');
    expect(value('0')).toBe(0);
    expect(value('-3')).toBe(-3);
  });

  it('is read by the mapping’s number transform', () => {
    const compiled = createTransformRegistry().get('number')?.compile(undefined);
    if (typeof compiled !== 'function') throw new Error('the number transform did not compile');
    for (const [text, n] of [
      ['.5', 0.5],
      ['-.25', -0.25],
    ] as const) {
      expect(compiled(value(text) as never)).toMatchObject({ ok: true, value: n });
    }
  });

  it('leaves text of other columns as it is', () => {
    expect(normaliseValue(normalise('.5', 'VARCHAR2(10)'), true)).toBe('.5');
  });
});
