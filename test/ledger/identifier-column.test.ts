import { describe, expect, it } from 'vitest';
import { buildIdentifier, IDENTIFIER_ROOT } from '../../catalog/identifier.js';
import { identifierColumn, readIdentifier } from '../../ledger/identifier-column.js';

const TYPE = '11100000000000001A001';
const ISSUER = '11370211000000001X';

/** What the column derives for `licenseId`: buildIdentifier's answer for its parts, if any. */
function expected(licenseId: string, version: number): string | undefined {
  if (!licenseId.startsWith(`${IDENTIFIER_ROOT}.`)) return undefined;
  const parts = licenseId.slice(IDENTIFIER_ROOT.length + 1).split('.');
  if (parts.length !== 3) return undefined;
  const [typeCode, issuerCode, serial] = parts as [string, string, string];
  try {
    return buildIdentifier({ typeCode, issuerCode, serial, version });
  } catch {
    return undefined;
  }
}

describe('identifier column', () => {
  const ids = [
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.A0001`,
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.ZZ99`,
    `${IDENTIFIER_ROOT}.${TYPE}.11370211000000002Y.B7`,
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}`, // two parts
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.A1.B2`, // four parts
    `${IDENTIFIER_ROOT}..${ISSUER}.A1`, // empty type code
    `${IDENTIFIER_ROOT}.${TYPE}..A1`, // empty issuer code
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.`, // empty serial
    `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.a1`, // serial out of shape
    `${IDENTIFIER_ROOT}.bad-type.${ISSUER}.A1`,
    `${IDENTIFIER_ROOT}.${TYPE}.bad-issuer.A1`,
    `9.9.9.${TYPE}.${ISSUER}.A1`, // another root
    'lic-1',
  ];

  it.each(ids.flatMap((id) => [1, 12, 999, 1000].map((v) => [id, v] as const)))(
    'derives for %s, version %i, what buildIdentifier gives, asked twice',
    (id, version) => {
      for (let round = 0; round < 2; round++) {
        const identifier = expected(id, version);
        if (identifier === undefined) {
          expect(identifierColumn(id, version, 'stored-as-is')).toBe('stored-as-is');
          expect(() => readIdentifier('', id, version)).toThrow(/no identifier stored/);
        } else {
          expect(identifierColumn(id, version, identifier)).toBe('');
          expect(readIdentifier('', id, version)).toBe(identifier);
          expect(identifierColumn(id, version + 1 > 999 ? 1 : version + 1, identifier)).toBe(identifier);
        }
        expect(readIdentifier('kept', id, version)).toBe('kept');
      }
    },
  );

  it('derives right for licenses of more issuers than it keeps builders for', () => {
    for (let i = 0; i < 600; i++) {
      const issuer = `1137021100000${String(i).padStart(4, '0')}X`;
      const id = `${IDENTIFIER_ROOT}.${TYPE}.${issuer}.S${i}`;
      expect(readIdentifier('', id, 3)).toBe(
        buildIdentifier({ typeCode: TYPE, issuerCode: issuer, serial: `S${i}`, version: 3 }),
      );
    }
    // An issuer seen first, asked again after the others pushed its builder out.
    expect(readIdentifier('', `${IDENTIFIER_ROOT}.${TYPE}.${ISSUER}.A0001`, 2)).toBe(
      buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER, serial: 'A0001', version: 2 }),
    );
  });
});
