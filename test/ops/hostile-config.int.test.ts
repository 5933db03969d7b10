// biome-ignore-all lint/suspicious/noTemplateCurlyInString: YAML text with `${env:…}` and `${file:…}` config references.
/**
 * A hostile config author, through the real CLI: values taken from `${file:}` / `${env:}`
 * references put where they get echoed (table and column names, a query, paths, the Redis URL,
 * a platform's URL). Each case asserts the exit code, then scans stderr, stdout, every row of the
 * ledger and every Redis key and value under the case's prefix for the secrets
 * (./hostile-config-fixture.ts). Queries and regular expressions: ./hostile-config-queries.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { expectNoLeak, KEY_REF, runVariant, TABLE, useHostileWorkspace } from './hostile-config-fixture.js';

useHostileWorkspace();

describe('hostile config: values from references are never echoed', () => {
  it.each([
    ['table-from-key-file', (y: string) => y.replace('table: T_SPXK_XKZ', `table: "${KEY_REF}"`)],
    ['table-from-env', (y: string) => y.replace('table: T_SPXK_XKZ', 'table: "${env:LB_HOSTILE_MARKER}"')],
    ['key-from-env', (y: string) => y.replace('key: ID', 'key: "${env:LB_HOSTILE_MARKER}"')],
    ['cursor-from-key-file', (y: string) => y.replace('cursor: GXSJ', `cursor: "${KEY_REF}"`)],
    [
      'query-from-key-file',
      (y: string) => y.replace(TABLE, `stream: { table: q, key: ID, query: "${KEY_REF}" }`),
    ],
    [
      'query-with-env-table',
      (y: string) =>
        y.replace(TABLE, 'stream: { table: q, key: ID, query: "SELECT * FROM T_${env:LB_HOSTILE_MARKER}" }'),
    ],
    ['catalog-from-key-file', (y: string) => y.replace('catalog: ./catalog', `catalog: "${KEY_REF}"`)],
    [
      'mapping-from-env',
      (y: string) =>
        y.replace(
          'mapping: ./mappings/food-business-license.yaml',
          'mapping: "./${env:LB_HOSTILE_MARKER}.yaml"',
        ),
    ],
    [
      'source-path-from-env',
      (y: string) => y.replace('path: ./data/legacy.db', 'path: "${env:LB_HOSTILE_MARKER}"'),
    ],
    [
      'redis-url-from-env',
      (y: string) => y.replace('redis: "redis://127.0.0.1:6379"', 'redis: "${env:LB_HOSTILE_REDIS}"'),
    ],
    [
      'redis-url-from-key-file',
      (y: string) => y.replace('redis: "redis://127.0.0.1:6379"', `redis: "${KEY_REF}"`),
    ],
  ] as const)(
    '%s: the command fails, and no output, ledger row or Redis value holds the value',
    async (name, edit) => {
      const o = await runVariant(name, edit);
      expect([1, 2], `${name} exit code; stderr: ${o.stderr.slice(0, 300)}`).toContain(o.status);
      expect(o.stderr).toContain('licbridge');
      expectNoLeak(o);
    },
  );
});

describe('hostile config: a platform URL from a reference', () => {
  it('deliveries to it fail and are dead-lettered; no reason, log line or job holds the URL', async () => {
    const o = await runVariant('target-url-from-env', (y) =>
      y
        .replace(/url: "http[^"]*"/, 'url: "${env:LB_HOSTILE_TARGET}"')
        .replace('kind: rest-json\n', 'kind: rest-json\n    attempts: 1\n'),
    );
    // Dead letters are an outcome of the run, not a failure of the command: done, and a person
    // is needed (3), as status says.
    expect(o.status, o.stderr.slice(0, 300)).toBe(3);
    expect(o.stdout).toMatch(/dead-lettered: [1-9]/);
    expectNoLeak(o);
  });
});
