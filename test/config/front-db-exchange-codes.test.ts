/**
 * A front-db target's `exchangeStatus` lists as the config loader checks them beyond the schema:
 * a code in both lists, or `0` (the code licbridge writes itself), is a config problem at its
 * line, naming the target and the code, before any command opens the target.
 */
import { describe, expect, it } from 'vitest';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

const withFrontDb = (exchangeStatus: string, more = '') =>
  `${VALID_CONFIG}  city-front:\n    kind: front-db\n    client: sqlite\n    path: ./front.db\n    dataSource: 11370211MB1234567X\n    exchangeStatus: ${exchangeStatus}\n${more}`;

describe('front-db `exchangeStatus` codes when the config loads', () => {
  it('refuses a code in both lists, at the code in `rejected`, naming the target and the code', async () => {
    const text = withFrontDb(`{ accepted: ['1', '3'], rejected: ['2', ' 3'] }`);
    const { problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'targets.city-front.exchangeStatus.rejected[1]',
      line: text.split('\n').findIndex((l) => l.includes('exchangeStatus:')) + 1,
    });
    expect(problems[0]?.message).toBe(
      'target city-front: code ` 3` is in both `accepted` and `rejected`; a code means one thing',
    );
  });

  it('refuses `0` in either list, naming the list', async () => {
    const { problems } = await problemsOf(withFrontDb(`{ accepted: ['1'], rejected: ['2', '0'] }`));
    expect(problems.map((p) => p.path)).toEqual(['targets.city-front.exchangeStatus.rejected[1]']);
    expect(problems[0]?.message).toContain('target city-front: expected codes the exchange system writes');
  });

  it('refuses a reason column licbridge writes itself, whatever its case', async () => {
    for (const column of ['PAYLOAD', 'exchange_status']) {
      const { problems } = await problemsOf(
        withFrontDb(`{ accepted: ['1'], rejected: ['9'], reasonColumn: ${column} }`),
      );
      expect(problems.map((p) => p.path)).toEqual(['targets.city-front.exchangeStatus.reasonColumn']);
      expect(problems[0]?.message).toContain(
        `target city-front: expected the column the exchange system writes its reason into, got \`${column}\`, which licbridge writes`,
      );
    }
  });

  it('reports it together with a schema problem elsewhere in the file', async () => {
    const text = withFrontDb(`{ accepted: ['1'], rejected: ['1'] }`, '  other: { kind: front-db }\n');
    const { problems } = await problemsOf(text);
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('targets.city-front.exchangeStatus.rejected[0]');
    expect(paths.some((p) => p.startsWith('targets.other'))).toBe(true);
  });
});
