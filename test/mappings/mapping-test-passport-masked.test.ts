/**
 * `licbridge test` prints a failing case's expected and mapped values with personal data masked,
 * as `preview` and quarantine reasons mask them, since the output goes to CI logs. A PRC passport
 * or Hong Kong/Macao travel permit number in a field no name marks personal (a note quoting it) was
 * printed whole, though a reason's value masks it; it is now masked by its shape too.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const mapping = compileMappingText(
  ['fields:', '  holder.name: { from: MC }', '  surface.note: { from: BZ }', ''].join('\n'),
  '/maps/note.yaml',
);

const eight = (): string => String(Math.floor(Math.random() * 9e7) + 1e7);

describe('a failing mapping-test case quoting a passport number', () => {
  it('masks it in the expected and the mapped value', () => {
    for (const series of ['E', 'H']) {
      const got = `${series}${eight()}`;
      const want = `${series}${eight()}`;
      const spec = parseMappingTestFile(
        `cases:\n  - { name: c, row: { MC: 青岛海滨食品有限公司, BZ: "护照 ${got}" }, expect: { fields: { surface.note: "护照 ${want}" } } }\n`,
        '/maps/note.test.yaml',
      );
      const messages = runMappingTests(spec, mapping)
        .flatMap((r) => r.messages)
        .join('\n');
      expect(messages).toContain('surface.note: expected "护照 ');
      expect(messages).not.toContain(got.slice(2, 7));
      expect(messages).not.toContain(want.slice(2, 7));
    }
  });
});
