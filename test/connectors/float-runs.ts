/**
 * Floating-point keys and cursors read in incremental runs of one page each: every run resumes
 * from the checkpoint the run before stored, so a checkpoint that names a float other than the
 * one the page ended at shows as a row read twice or never. Values that tell printing precision
 * apart: neighbouring doubles (0.3 and 0.1 + 0.2), doubles 15 digits cannot tell apart, ties, and
 * singles whose six-digit text is another single.
 */
import { expect } from 'vitest';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import type { Checkpoint } from '../../core/checkpoint.js';

/** The next double up. */
export function nextUp(x: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  b.setBigUint64(0, b.getBigUint64(0) + (x >= 0 ? 1n : -1n));
  return b.getFloat64(0);
}

// 123456789.123456789 as a double: 15 significant digits print it and its next two alike.
const NEAR = 123456789.12345679;

/** Doubles, some tied, some neighbours 15 significant digits print alike. */
export const DOUBLES: readonly number[] = [
  0.3,
  0.1 + 0.2,
  0.1 + 0.2,
  1e-300,
  nextUp(1e-300),
  NEAR,
  NEAR,
  nextUp(NEAR),
  nextUp(nextUp(NEAR)),
  -2.5,
];

/** Single-precision values (as written in SQL), some tied; six significant digits print several alike. */
export const SINGLES: readonly string[] = [
  '0.1',
  '0.1',
  '0.1',
  '1.1',
  '123456.789',
  '123456.789',
  '123456.8',
  '16777216',
  '16777218',
  '-2.5',
];

/**
 * The keys of the rows read, one page per run, each run resuming from the checkpoint the one before
 * returned; fails a read that has not ended after `limit` runs (a page read again for ever).
 */
export async function keysReadInRuns(
  connector: SourceConnector,
  stream: StreamSpec,
  pageSize: number,
  limit = 100,
): Promise<string[]> {
  const keys: string[] = [];
  let after: Checkpoint | null = null;
  for (let run = 0; run < limit; run++) {
    let next: Checkpoint | null = null;
    for await (const page of connector.read({ stream, after, pageSize })) {
      keys.push(...page.rows.map((r) => r.key));
      if (page.rows.length > 0) next = page.checkpoint;
      break;
    }
    if (next === null) return keys;
    after = next;
  }
  throw new Error(`the read had not ended after ${limit} runs: ${keys.length} rows read`);
}

/** Fails unless runs of 1, 2 and 3 rows a page each read the keys of `order`, in that order. */
export async function expectEveryPageSize(
  connector: SourceConnector,
  stream: StreamSpec,
  order: readonly string[],
): Promise<void> {
  for (const size of [1, 2, 3]) {
    expect(await keysReadInRuns(connector, stream, size), `page size ${size}`).toEqual(order);
  }
}
