/**
 * A row's key is read from the row's own values only (connectors/sql/row-keys.ts `assignKeys`): a
 * key column named like a property every object inherits (`constructor`, `toString`, `__proto__`)
 * and absent from the row is a missing key, quarantined under a stand-in, never the inherited
 * function or prototype's text as the license's key.
 */
import { describe, expect, it } from 'vitest';
import { assignKeys, type KeyingRow, standInKey } from '../../connectors/sql/row-keys.js';
import { CODE_KEY_MISSING } from '../../core/key-missing.js';

describe('assignKeys with a key column the row does not hold', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('reads `%s` as NULL', (column) => {
    const fingerprint = 'cd'.repeat(16);
    const row: KeyingRow = { values: { NAME: 'x' }, rawKey: null, fingerprint, problems: [] };
    expect(assignKeys('src', column, [row])).toEqual([standInKey(column, fingerprint)]);
    expect(row.problems).toEqual([expect.objectContaining({ column, code: CODE_KEY_MISSING })]);
    expect(row.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`\`${column}\` is NULL`) }),
    ]);
  });

  it('still reads a key column of that name the row holds', () => {
    const row: KeyingRow = {
      values: { constructor: 'JY001' },
      rawKey: 'JY001',
      fingerprint: 'cd'.repeat(16),
      problems: [],
    };
    expect(assignKeys('src', 'constructor', [row])).toEqual(['JY001']);
    expect(row.problems).toEqual([]);
  });
});
