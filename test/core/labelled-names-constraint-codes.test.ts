/**
 * A platform's Bean Validation codes under a field's key (`platform answered 400:
 * {"xm":["NotBlank"],"xkzh":["Pattern"]}`, `{"xm":"NotBlank"}`): 2fd3820d read a JSON array's
 * bracket as opening a name's value, and the codes went out as `***` in a log line, an error's text
 * and a stored reason, which left an integration engineer no field's problem to go on. A name stays
 * hidden, `Max` too as a name is written. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('Bean Validation codes under a name key', () => {
  it.each([
    'platform answered 400: {"xm":["NotBlank"],"xkzh":["Pattern"]}',
    '{"xm":["NotNull"]}',
    '{"xm":["NotEmpty"]}',
    '{"xm":["Pattern"]}',
    '{"xm":["NotBlank","Size"]}',
    '{"xm":["Length"]}',
    '{"xm":["Email"]}',
    '{"xm":["Min"]}',
    '{"xm":["Max"]}',
    '{"xm":["Past"]}',
    '{"xm":["Future"]}',
    '{"xm":["Digits"]}',
    '{"xm":"NotBlank"}',
    '{"holderName":"NotNull"}',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['{"xm":["Zhang San"]}', '{"xm":["***"]}'],
    ['{"xm":"Max Mustermann"}', '{"xm":"***"}'],
    ['holder: Max Mustermann', 'holder: ***'],
    ['{"xm":"Max"}', '{"xm":"***"}'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(safeErrorText(text)).toBe(hidden);
  });
});
