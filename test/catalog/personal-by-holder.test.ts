/**
 * Personal data by holder category: a legal person's name and credit code (holder id types `001`,
 * `099`) are public registration data and kept in clear in quarantine reasons; a natural person's
 * name and ID number are masked there, and so is a legal representative's name on any license.
 */
import { describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { isPersonalPathFor } from '../../catalog/personal.js';
import { checkLicense } from '../../catalog/validate-license.js';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = (idType: string) => `
fields:
  holder.name: { from: MC, lookup: { "known": "known" }, required: true }
  holder.idType: { const: "${idType}" }
  holder.id: { from: ZH, transform: [trim], required: true }
  surface.legalRepresentative: { from: FR, lookup: { "known": "known" }, required: true }
`;

function reasonValues(idType: string): Record<string, string | undefined> {
  const result = compileMappingText(mapping(idType), 'm.yaml').map({
    MC: '青岛海滨食品有限公司',
    ZH: '91370211MA3C000000',
    FR: '张三丰',
  });
  if (!('reasons' in result) || !result.reasons) throw new Error('expected the row to fail');
  return Object.fromEntries(result.reasons.map((r) => [r.path, r.value]));
}

describe('personal data by holder category', () => {
  it('classifies holder paths by id type', () => {
    for (const t of ['001', '099']) {
      expect(isPersonalPathFor('holder.name', t, '91370211MA3C7XY81Y')).toBe(false);
      expect(isPersonalPathFor('holder.id', t, '91370211MA3C7XY81Y')).toBe(false);
      expect(isPersonalPathFor('surface.legalRepresentative', t, '91370211MA3C7XY81Y')).toBe(true);
    }
    for (const t of ['111', '999', undefined]) {
      expect(isPersonalPathFor('holder.name', t, '91370211MA3C7XY81Y')).toBe(true);
      expect(isPersonalPathFor('holder.id', t, '91370211MA3C7XY81Y')).toBe(true);
    }
  });

  it("keeps a legal person's name in a mapping reason, masks the legal representative", () => {
    const values = reasonValues('001');
    expect(values['holder.name']).toBe('青岛海滨食品有限公司');
    expect(values['surface.legalRepresentative']).toBe('张**');
  });

  it("masks a natural person's name in a mapping reason", () => {
    expect(reasonValues('111')['holder.name']).toBe('青*********');
  });

  it("keeps a legal person's wrong credit code in clear, masks a natural person's wrong ID number", () => {
    const license = (idType: string, id: string) =>
      ({ holder: { name: 'x', idType, id }, validFrom: '2024-01-01', validTo: null }) as unknown as License;
    const [legal] = checkLicense(license('001', '91370211MA3C000001'));
    expect(legal).toMatchObject({ code: 'LB_HOLDER_ID_CHECK', value: '91370211MA3C000001' });
    const [natural] = checkLicense(license('111', '110105194912310021'));
    expect(natural?.code).toBe('LB_HOLDER_ID_CHECK');
    expect(natural?.value).toBe('1101**********0021');
  });
});
