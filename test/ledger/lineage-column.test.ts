/**
 * The stored lineage text: smaller than the lineage, and read back as the lineage written, from
 * the current form and from every earlier one.
 */
import { describe, expect, it } from 'vitest';
import type { Lineage } from '../../catalog/license.js';
import { fullNamesLineageColumn, lineageColumn, readLineage } from '../../ledger/lineage-column.js';

const SHA = '4e88ad07b0944a4da6002cf98eccdb0bf582c2d9820f6dd461341c369124cca2';
const lineage: Lineage = {
  pipeline: 'food',
  source: 'market-food',
  sourceKey: '42',
  runId: 'run-1',
  catalogVersion: SHA,
  mappingVersion: 'v7',
};

describe('lineage column', () => {
  it('leaves out what the row holds and packs a SHA-256 hex, and reads it back field for field', () => {
    const text = lineageColumn(lineage, 'food', 'run-1');
    expect(JSON.parse(text)).toEqual({
      s: 'market-food',
      k: '42',
      C: Buffer.from(SHA, 'hex').toString('base64url'),
      m: 'v7',
    });
    expect(text.length).toBeLessThan(JSON.stringify(lineage).length / 2);
    const read = readLineage(text, 'food', 'run-1');
    expect(read).toEqual(lineage);
    expect(Object.keys(read)).toEqual(Object.keys(lineage));
  });

  it('keeps a pipeline or run that differs from the row, and fields it does not know', () => {
    const other = { ...lineage, runId: 'run-0', extra: 'x' } as Lineage;
    const text = lineageColumn(other, 'elsewhere', 'run-1');
    expect(JSON.parse(text)).toMatchObject({ pipeline: 'food', runId: 'run-0', extra: 'x' });
    expect(readLineage(text, 'elsewhere', 'run-1')).toEqual(other);
  });

  it('keeps a version that only looks like hex as it is', () => {
    const upper = { ...lineage, catalogVersion: SHA.toUpperCase(), mappingVersion: `${SHA}0` };
    const text = lineageColumn(upper, 'food', 'run-1');
    expect(JSON.parse(text)).toMatchObject({ c: SHA.toUpperCase(), m: `${SHA}0` });
    expect(readLineage(text, 'food', 'run-1')).toEqual(upper);
  });

  it.each([
    ['written before migration 016', JSON.stringify(lineage)],
    ['written between 016 and 019', fullNamesLineageColumn(lineage, 'food', 'run-1')],
  ])('reads text %s', (_, text) => {
    expect(readLineage(text, 'food', 'run-1')).toEqual(lineage);
  });
});
