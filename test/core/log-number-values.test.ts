/**
 * A log line masks the numbers a person is known by in its string values by their shape; a value
 * held as a number went out whole: a source key read as a number (`{ recordKey: 13800138000 }`), a
 * 15-digit ID number read from a numeric column. Such numbers are now masked as their text is;
 * counts, durations and sizes, which have no such shape, stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const MOBILE = Number(`13${digits(9)}`);
const OLD_ID = Number(
  `1${digits(5)}8${1 + Math.floor(Math.random() * 9)}0${1 + Math.floor(Math.random() * 9)}1${digits(4)}`,
);

function logged(obj: Record<string, unknown>): Record<string, unknown> {
  const { logger, lines } = lineLogger();
  logger.info(obj, 'read');
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

describe('numbers in a log line', () => {
  it('masks a mobile number held as a number', () => {
    const line = logged({ recordKey: MOBILE, context: { id: MOBILE }, keys: [MOBILE] });
    const text = JSON.stringify(line);
    expect(text).not.toContain(String(MOBILE));
    expect(line.recordKey).toBe(`*******${String(MOBILE).slice(7)}`);
  });

  it('masks a 15-digit ID number held as a number', () => {
    const text = JSON.stringify(logged({ sourceKey: OLD_ID }));
    expect(text).not.toContain(String(OLD_ID));
    expect(text).toContain(`"sourceKey":"${String(OLD_ID).slice(0, 4)}`);
  });

  it('masks an 18-digit ID number held as a number', () => {
    const id = Number(
      `1${digits(5)}1985${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(5)}`,
    );
    const text = JSON.stringify(logged({ sourceKey: id }));
    expect(text).not.toContain(String(id));
    expect(text).toContain(`"sourceKey":"${String(id).slice(0, 4)}`);
  });

  it('leaves counts, durations and sizes as numbers', () => {
    const values = { rows: 5000, ms: 1234.5, bytes: 10_485_760, at: 1_796_000_000_000, big: 99_999_999_999 };
    const line = logged(values);
    for (const [k, v] of Object.entries(values)) expect(line[k]).toBe(v);
  });
});
