/**
 * A mapping declaring its holders organisations (`holder.idType` a constant `001`) masked a
 * holder.id reason's value of a resident ID number's shape, but a reason about holder.name on
 * the same row (a control character in it) kept the name in clear: the person's name went into
 * the ledger's quarantine reasons beside their masked number. Such a row's holder.name reason is
 * now masked as a person's; an organisation's row keeps its name in clear.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = [
  'fields:',
  '  holder.name: { from: MC }',
  '  holder.idType: { const: "001" }',
  '  holder.id: { from: DM, transform: [trim] }',
  '',
].join('\n');

const nameReason = (values: Record<string, string>) => {
  const r = compileMappingText(MAPPING, '/maps/m.yaml').map(values);
  return r.ok ? undefined : r.reasons.find((x) => x.path === 'holder.name');
};

describe("a holder.name reason on a row whose holder id is a person's", () => {
  it('is masked, for a 15- or 18-character id, the holder.id rule passing or not', () => {
    for (const id of ['110105491331002', '11010519491231002x', ' 110105194912310021 ']) {
      const reason = nameReason({ MC: '欧阳\u0007秀英', DM: id });
      expect(reason?.code).toBe('LB_MAP_CONTROL_CHAR');
      expect(JSON.stringify(reason)).not.toContain('秀英');
    }
  });

  it("keeps an organisation's name in clear", () => {
    const reason = nameReason({ MC: '青岛海滨\u0007食品有限公司', DM: '91370406L24894136J' });
    expect(String(reason?.value)).toContain('食品有限公司');
  });
});
