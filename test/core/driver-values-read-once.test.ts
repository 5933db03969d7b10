/**
 * A driver's words (core/driver-values.ts) are read in time growing with the text's length: each
 * opener of a quoted value searched for its closing quote to the end of the text (2238297f), so a
 * long line of openers no driver's words close was read once for each, the characters read growing
 * with the square of its length. Counted as the characters the patterns read, not timed: twice the
 * line reads about twice as many (its line's end, looked for again for each opener, too). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideDriverValues } from '../../core/driver-values.js';
import { regexpScans } from './regexp-scans.js';

/** Characters the patterns read, and `indexOf` (a line's end looked for). */
function charsRead(text: string): number {
  const indexOf = String.prototype.indexOf;
  let searched = 0;
  String.prototype.indexOf = function (this: string, part: string, from = 0) {
    const at = indexOf.call(this, part, from);
    searched += (at < 0 ? this.length : at) - from;
    return at;
  };
  try {
    return regexpScans(() => hideDriverValues(text)).chars + searched;
  } finally {
    String.prototype.indexOf = indexOf;
  }
}

describe("a driver's words in a long line", () => {
  it.each([
    "Duplicate entry 'a' for ",
    "Incorrect string value: 'a' ",
    "converting the nvarchar value 'a' ",
    'invalid input syntax for type integer: "a ',
    'Key (a, ',
  ])('%j repeated is read once', (unit) => {
    const once = charsRead(unit.repeat(2000));
    const twice = charsRead(unit.repeat(4000));
    expect(twice / once).toBeLessThan(2.5);
    expect(hideDriverValues(unit.repeat(3))).not.toContain("'a'");
  });
});
