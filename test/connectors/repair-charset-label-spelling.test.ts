/**
 * The source-level charset repair tells GB 18030 (which has four-byte codes) from GBK and cp936
 * (which have none) by the one label comparison, letters and digits (core/encoding-labels.ts), as
 * every other reading of an encoding label does: `GB-18030`, `gb_18030` and `GB18030-2022` are
 * GB 18030 and read its four-byte codes; `GBK` in capitals and `CP-936` still refuse them.
 */
import { describe, expect, it } from 'vitest';
import { compileRepair } from '../../connectors/repair/repair.js';
import type { SourceValue } from '../../connectors/source.js';

// 95328236 is U+20000 in GB18030 only, after 中 (D6D0).
const FOUR = Buffer.from('d6d095328236', 'hex').toString('latin1');

function repaired(from: string): { value: SourceValue; problems: number } {
  const values: Record<string, SourceValue> = { JYZMC: FOUR };
  const problems = compileRepair({ charset: { repair: ['JYZMC'], from } })(values);
  return { value: values.JYZMC ?? null, problems: problems.length };
}

describe('charset repair: a label spelled otherwise', () => {
  it.each(['gb18030', 'GB18030', 'GB-18030', 'gb_18030', 'GB18030-2022'])(
    '%s reads a four-byte code',
    (from) => {
      expect(repaired(from)).toEqual({ value: '中\u{20000}', problems: 0 });
    },
  );

  it.each(['gbk', 'GBK', 'cp936', 'CP-936'])('%s refuses a four-byte code', (from) => {
    expect(repaired(from)).toEqual({ value: null, problems: 1 });
  });
});
