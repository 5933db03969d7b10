/**
 * A version read back (toVersion in ledger/rows.ts) has its members in one order, payload and
 * lineage among them as own enumerable members, whatever way they are read when first asked for;
 * two versions do not share a license.
 */
import { describe, expect, it } from 'vitest';
import { toVersion } from '../../ledger/rows.js';
import { versionRow } from './fixtures.js';

describe('a version read back', () => {
  it('has its members in order, payload and lineage its own', () => {
    const version = toVersion(versionRow({ payload: '{"number":"N1"}' }));
    expect(Object.keys(version)).toEqual([
      'versionId',
      'licenseId',
      'version',
      'identifier',
      'contentHash',
      'status',
      'operation',
      'payload',
      'lineage',
      'createdAt',
    ]);
    expect(Object.getOwnPropertyDescriptor(version, 'payload')?.enumerable).toBe(true);
    expect(
      Object.getOwnPropertySymbols(version).every(
        (s) => !Object.getOwnPropertyDescriptor(version, s)?.enumerable,
      ),
    ).toBe(true);
  });

  it('keeps its own license apart from another version', () => {
    const a = toVersion(versionRow({ payload: '{"number":"A"}' }));
    const b = toVersion(versionRow({ payload: '{"number":"B"}' }));
    expect((a.payload as unknown as { number: string }).number).toBe('A');
    expect((b.payload as unknown as { number: string }).number).toBe('B');
    b.payload = a.payload;
    expect(b.payload).toBe(a.payload);
    expect(toVersion(versionRow({ payload: '{"number":"C"}' })).payload).not.toBe(a.payload);
  });
});
