/**
 * Passport numbers the PRC issues that the shapes in core/mask.ts did not know, each shown whole in
 * a log line (which masks numbers by their shape only) and by the CLI: the electronic passports of
 * the diplomatic, service and public-affairs series (`DE1234567`, `SE1234567`, `PE1234567`), the
 * older service and public-affairs numbers written with a dot (`S.1234567`, `P.1234567`), and the
 * passports of the Hong Kong (`K12345678`) and Macao (`MA1234567`) special administrative regions.
 * Words and codes that end in those letters before digits stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { maskPassportShapes } from '../../core/mask.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ reason: `holder ${value} refused` }, 'refused');
  return lines.join('\n');
}

describe('passport numbers of two letters, with a dot, or of the SARs', () => {
  it.each([
    ['DE1234567', 'D*******7'],
    ['SE7654321', 'S*******1'],
    ['PE1234567', 'P*******7'],
    ['S.1234567', 'S*******7'],
    ['P.7654321', 'P*******1'],
    ['K12345678', 'K*******8'],
    ['MA1234567', 'M*******7'],
  ])('masks %s', (number, masked) => {
    expect(maskPassportShapes(`passport ${number},`)).toBe(`passport ${masked},`);
    expect(maskNumberShapes(`护照号码：${number}`)).toBe(`护照号码：${masked}`);
    expect(logged(number)).not.toContain(number.slice(-7, -1));
  });

  it('masks them with a word in camel case glued before them, as the one-letter series', () => {
    expect(maskPassportShapes('passportDE1234567')).toBe('passportD*******7');
    expect(maskPassportShapes('hkPassportK12345678')).toBe('hkPassportK*******8');
  });

  it.each([
    'CODE1234567',
    'MODE1234567',
    'TYPE1234567',
    'ORDERS.1234567',
    'BK12345678',
    'TASK12345678',
    '91110000MA1234567X',
    'node1234567',
    'ORA-12345678',
    'deadbeef-DE1234567',
    'pe1234567',
  ])('keeps %s whole', (text) => {
    expect(maskPassportShapes(text)).toBe(text);
  });
});
