/**
 * A platform answering an entry's version as text had every text but digits named 'its version is
 * not a number': `"2.5"` and `"-1"` lost the shape `2.5` and `-1` are named by as numbers, and the
 * reconcile report could not tell an operator a platform numbering versions as decimals or from -1
 * from one answering a word. Text written as a signed or decimal number is now named as that number
 * is (a fraction, a negative number, zero, a number too large to hold exactly); a whole number from
 * 1 written with a sign or a decimal point is no version either (only digits are), and is named so;
 * any other text is still not a number. The listing and the lookup path alike.
 */
import { describe, expect, it } from 'vitest';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import { entry, itNamesEachShape } from './version-shape-cases.js';

const targetAnswering = restTargetAnswering();

const FRACTION = 'its version is a fraction';
const NEGATIVE = 'its version is a negative number';
const ZERO = 'its version is zero';
const TOO_LARGE = 'its version is a number too large to hold exactly';
const SIGNED_OR_POINTED = 'its version is a whole number written with a sign or a decimal point';
const NOT_A_NUMBER = 'its version is not a number';

const SHAPES: [unknown, string | null][] = [
  ['2', null],
  ['002', null],
  ['2.5', FRACTION],
  ['0.5', FRACTION],
  ['.5', FRACTION],
  ['+2.5', FRACTION],
  ['-1', NEGATIVE],
  ['-2.5', NEGATIVE],
  ['-0.5', NEGATIVE],
  ['0', ZERO],
  ['000', ZERO],
  ['-0', ZERO],
  ['+0', ZERO],
  ['0.0', ZERO],
  ['99999999999999999999', TOO_LARGE],
  ['+99999999999999999999', TOO_LARGE],
  ['9007199254740993.5', FRACTION],
  ['+2', SIGNED_OR_POINTED],
  ['2.0', SIGNED_OR_POINTED],
  ['2.', SIGNED_OR_POINTED],
  ['+002.00', SIGNED_OR_POINTED],
  ['one', NOT_A_NUMBER],
  ['', NOT_A_NUMBER],
  ['-', NOT_A_NUMBER],
  ['.', NOT_A_NUMBER],
  ['+-1', NOT_A_NUMBER],
  [' 2', NOT_A_NUMBER],
  ['-1 ', NOT_A_NUMBER],
  ['２', NOT_A_NUMBER],
  ['1e3', NOT_A_NUMBER],
  ['0x2', NOT_A_NUMBER],
  ['2.5.1', NOT_A_NUMBER],
  ['Infinity', NOT_A_NUMBER],
];

/** The same value answered as a JSON number names the same shape. */
const AS_NUMBERS: [unknown, unknown][] = [
  ['2.5', 2.5],
  ['-1', -1],
  ['-2.5', -2.5],
  ['0', 0],
  ['-0', -0],
  ['0.0', 0],
];

describe('an entry whose version is text written as a number that is no version', () => {
  itNamesEachShape(
    targetAnswering,
    SHAPES,
    'list: unreadable, the reason naming the shape of the number the text writes',
    50,
  );

  it('list: names the text as it names the number the text writes', async () => {
    const reasons = async (values: unknown[]) => {
      const { target } = await targetAnswering((_n, req) => {
        const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
        const items = after === '' ? values.map((v, i) => entry(i + 1, v)) : [];
        return { status: 200, body: { code: 0, items } };
      });
      return (await listAll(target, 50)).map((r) => r.unreadable?.reason);
    };
    const asText = await reasons(AS_NUMBERS.map(([text]) => text));
    expect(asText).toEqual(await reasons(AS_NUMBERS.map(([, n]) => n)));
    expect(asText.every((r) => r !== undefined)).toBe(true);
  });
});
