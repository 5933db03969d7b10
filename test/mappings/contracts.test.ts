/**
 * mappings/ may import only core and catalog, so it declares the shapes of connectors' SourceRow
 * and ledger's QuarantineReason / VersionCandidate structurally. These checks fail to typecheck
 * (`npm run typecheck`) the day either side drifts.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SourceRow, SourceValue } from '../../connectors/source.js';
import type { QuarantineReason, VersionCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import type { InputRow, InputValue, MapReason } from '../../mappings/types.js';

describe('structural contracts', () => {
  it('mappings shapes and the ledger / connector contracts are mutually assignable', () => {
    expectTypeOf<SourceValue>().toEqualTypeOf<InputValue>();
    expectTypeOf<SourceRow>().toEqualTypeOf<InputRow>();
    expectTypeOf<MapReason>().toEqualTypeOf<QuarantineReason>();
    expectTypeOf<LicenseCandidate>().toEqualTypeOf<VersionCandidate>();
    const row: SourceRow = { key: '1', values: { A: null } };
    const asInput: InputRow = row;
    expect(asInput.key).toBe('1');
  });
});
