/**
 * A number of eleven digits from 13 000 000 000 up has a mobile number's shape, and a log line
 * masks it wherever it stands (log-number-values): a size of 13.8 GB in bytes, a count or a
 * duration in ms that large, went out as `"*******0000"`, a string no one can read a size from.
 * Under a key that names a measure (`bytes`, `sizeBytes`, `rowCount`, `durationMs`…) a number is
 * a measure and stays; under any other key (`recordKey`, `id`, `value`) it is masked as before.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
// Eleven digits with a mobile number's first two (1[3-9]).
const LARGE = Number(`1${3 + Math.floor(Math.random() * 7)}${digits(9)}`);

function logged(obj: Record<string, unknown>): Record<string, unknown> {
  const { logger, lines } = lineLogger();
  logger.info(obj, 'read');
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

describe('large measures in a log line', () => {
  it('keeps a size, a count or a duration under a key naming it', () => {
    const values = {
      bytes: LARGE,
      sizeBytes: LARGE,
      size: LARGE,
      rowCount: LARGE,
      total: LARGE,
      durationMs: LARGE,
      elapsed_ms: LARGE,
      length: LARGE,
    };
    const line = logged({ ...values, nested: { bytes: LARGE } });
    for (const [k, v] of Object.entries(values)) expect(line[k], k).toBe(v);
    expect(line.nested).toEqual({ bytes: LARGE });
  });

  it('masks the same number under any other key', () => {
    const line = logged({ recordKey: LARGE, id: LARGE, value: LARGE, keys: [LARGE], bytes: [LARGE] });
    expect(JSON.stringify(line)).not.toContain(String(LARGE));
    expect(line.recordKey).toBe(`*******${String(LARGE).slice(7)}`);
  });
});
