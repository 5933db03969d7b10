/**
 * A mapping declaring its holders organisations (`holder.idType` a constant `001`) may still carry
 * a person's license: a sole trader registered under a PRC passport or a Hong Kong/Macao travel
 * permit. Such a row's id was masked by its shape, but the row was taken for an organisation's and
 * the person's name was kept in clear in its holder.name reason and in the catalog's reasons. A
 * holder id holding a passport or travel permit number (or a mobile number) is now a person's, as
 * one holding a resident ID number is.
 */
import { describe, expect, it } from 'vitest';
import { isLegalPersonHolder } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';

const eight = (): string => String(Math.floor(Math.random() * 9e7) + 1e7);
const IDS = [`E${eight()}`, `G${eight()}`, `H${eight()}`, `M${eight()}`, `护照 E${eight()}`, `139${eight()}`];

const MAPPING = [
  'fields:',
  '  holder.name: { from: MC }',
  '  holder.idType: { const: "001" }',
  '  holder.id: { from: DM, transform: [trim] }',
  '',
].join('\n');

describe('a holder id holding a passport, travel permit or mobile number', () => {
  it("is a person's: the name is masked in a holder.name reason", () => {
    for (const id of IDS) {
      expect(isLegalPersonHolder('001', id), id).toBe(false);
      const r = compileMappingText(MAPPING, '/maps/m.yaml').map({ MC: '欧阳\u0007秀英', DM: id });
      if (r.ok) throw new Error('expected the row to be quarantined');
      expect(r.reasons.find((x) => x.path === 'holder.name')?.code, id).toBe('LB_MAP_CONTROL_CHAR');
      expect(JSON.stringify(r.reasons), id).not.toContain('秀英');
    }
  });

  it("an organisation's codes stay an organisation's", () => {
    for (const id of ['91370406L24894136J', '11370211MB12345672', 'L24894136']) {
      expect(isLegalPersonHolder('001', id), id).toBe(true);
    }
  });
});
