/**
 * A log line reads a number right after a percent escape (`id=%2F…`, a URL's query or a form's
 * body), and the escape's two hex chars are no part of a unit's credit code: an old ID number after
 * `%91`, `%A1` or `%81` went out whole at 7a831420, read as an 18-char code with the escape's hex as
 * its department and kind, where cbda075f masked it. A code standing as one run stays whole.
 */
import { describe, expect, it } from 'vitest';
import { loggedMessages } from '../support/log-lines.js';

// Made up: old ID numbers (15 digits, born 1943, 1940, 1961, 1997), each with a letter after it
// that GB 32100's check would take for an 18-char code with the two chars before it.
const AFTER_ESCAPES = [
  '%91650712430128769A',
  '%91111019400604333K',
  '%A1231118610811129E',
  '%81451116971007222W',
];

describe('an old ID number right after a percent escape in a log line', () => {
  it('is masked, as cbda075f did: the escape is no unit code’s department and kind', () => {
    expect(loggedMessages(AFTER_ESCAPES.map((run) => `msg: ${run}`))).toEqual([
      'msg: %916507*******8769A',
      'msg: %911110*******4333K',
      'msg: %A12311*******1129E',
      'msg: %814511*******7222W',
    ]);
  });

  it('leaves the same chars whole as one run, which may be a unit code', () => {
    const codes = AFTER_ESCAPES.map((run) => run.slice(1));
    expect(loggedMessages(codes.map((code) => `unit ${code} refused`))).toEqual(
      codes.map((code) => `unit ${code} refused`),
    );
  });
});
