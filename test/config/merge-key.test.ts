import { describe, expect, it } from 'vitest';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

describe('a YAML merge key', () => {
  it('is named as not supported, at its line, instead of only the keys it was meant to bring', async () => {
    const source = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
    expect(VALID_CONFIG).toContain(source);
    const text = VALID_CONFIG.replace(
      source,
      'shared: &legacy { kind: sqlite, path: ./data/legacy.db }\n  market-food:\n    <<: *legacy\n    trim: all',
    );
    const { problems } = await problemsOf(text);
    expect(problems).toContainEqual(
      expect.objectContaining({
        ...positionOf(text, '<<'),
        path: 'sources.market-food',
        message: expect.stringMatching(/^YAML merge keys \(`<<`\) are not supported/),
      }),
    );
  });
});
