// A cron expression written unquoted (schedule: */15 * * * *, the every-quarter-hour schedule the
// docs show quoted) starts with `*`, which YAML reads as an alias; the parser then reported each
// further `*` as "Unexpected alias at node end", four problems on the line and none saying that
// the value wants quotes. It is one problem at the value, saying so.
import { describe, expect, it } from 'vitest';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const TARGETS = 'targets: [province]';

describe('an unquoted value starting with `*` and going on after it', () => {
  it.each([
    ['block', `${TARGETS}\n    schedule: */15 * * * *`],
    ['flow', `${TARGETS}\n    reconcile: { schedule: */30 2 * * * }`],
  ])('(%s) is one problem at the value, asking for quotes', async (_, written) => {
    expect(VALID_CONFIG).toContain(TARGETS);
    const text = VALID_CONFIG.replace(TARGETS, written);
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '*/'),
        message: expect.stringMatching(
          /^YAML: the value starts with `\*`, which YAML reads as an alias.*quote the whole value/,
        ),
      }),
    ]);
  });
});
