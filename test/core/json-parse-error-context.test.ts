/**
 * The quoted data of a JSON parse error is dropped (json-parse-error-data); what the message says
 * between an earlier quote (a target's name, itself hidden as quoted) and the engine's own text is
 * not data, and stays: the answer's status was dropped with the data.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (e) {
    return e as Error;
  }
  throw new Error('parsed: the test data must not be JSON');
}

describe('a JSON parse error behind words of its own', () => {
  it('keeps what is said after a quoted name and before the engine text', () => {
    // Synthetic, made here: a romanised name-like word.
    const name = `Zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const e = parseError(`${name} "x"`);
    const stored = failureMessage(
      new Error(`target "province-gw" answered status 502: ${e.message}`),
    ).message;
    expect(stored).toContain('answered status 502: Unexpected text: not valid JSON');
    expect(stored).toContain('not valid JSON');
    expect(stored).not.toContain(name.slice(2));
  });
});
