// A date format whose one-or-two-digit tokens (M, d) touch with nothing but digits between them
// splits one text two ways (`yyyyMd`: 2024111 is 2024-11-01 and 2024-01-11): refused when the
// mapping is compiled, at the format's file:line, instead of picking one reading per row.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { compileDateFormat } from '../../mappings/date-transform.js';

const problemsOf = (text: string) => {
  try {
    compileMappingText(text, '/maps/food.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => ({ line: p.line, message: p.message }));
  }
  throw new Error('expected a ConfigError');
};

describe('date formats with adjacent variable-width tokens', () => {
  it('refuses yyyyMd at compile time with file:line', () => {
    const problems = problemsOf(
      'fields:\n  issueDate: { from: FZRQ, transform: [trim] }\n  validTo: { from: YXQZ, transform: [{ date: [yyyyMd] }] }\n',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(3);
    expect(problems[0]?.message).toContain('`M` and `d` with no separator');
  });

  it('refuses every way two of M and d can touch', () => {
    // Myyyyd too: 1202411 is 1-2024-11 or 12-0241-1 — fixed tokens between them do not separate.
    for (const f of ['yyyyMd', 'dMyyyy', 'yyyydM', 'Mdyy', 'yyyyM0d', 'Myyyyd']) {
      expect(compileDateFormat(f), f).toMatch(/no separator between them/);
    }
  });

  it('still accepts one variable-width token among fixed ones, or two split by a separator', () => {
    for (const f of ['yyyyMMd', 'yyyyMdd', 'd/M/yyyy', 'yyyy-M-d', 'yyyy年M月d日', 'Myyyydd']) {
      expect(typeof compileDateFormat(f), f).toBe('object');
    }
  });
});
