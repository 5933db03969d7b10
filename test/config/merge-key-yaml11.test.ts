/**
 * A config written as YAML 1.1 (`%YAML 1.1`) reads `<<` as a merge key, which the parser gives as a
 * key that is no text: the problem said `keys must be plain words` at the line, not that merge
 * keys are not supported, and the author looked for a typo in `<<`.
 */
import { describe, expect, it } from 'vitest';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

describe('a YAML merge key in a YAML 1.1 document', () => {
  it('is named as a merge key, at its line', async () => {
    const source = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
    expect(VALID_CONFIG).toContain(source);
    const text = `%YAML 1.1\n---\n${VALID_CONFIG.replace(
      source,
      'shared: &legacy { kind: sqlite, path: ./data/legacy.db }\n  market-food:\n    <<: *legacy\n    trim: all',
    )}`;
    const { problems } = await problemsOf(text);
    expect(problems).toContainEqual(
      expect.objectContaining({
        ...positionOf(text, '<<'),
        path: 'sources.market-food',
        message: expect.stringMatching(/^YAML merge keys \(`<<`\) are not supported/),
      }),
    );
    expect(problems.map((p) => p.message)).not.toContain('keys must be plain words');
  });
});
