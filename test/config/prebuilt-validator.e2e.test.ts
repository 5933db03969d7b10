/**
 * The config validator `npm run build` compiles ahead of time answers exactly as the one compiled
 * from the schema at run time: same verdicts, same errors, same defaults filled in.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { VALIDATOR_OPTIONS } from '../../config/validator-options.js';
import { ROOT } from '../support/cli.js';

const GENERATED = join(ROOT, 'dist', 'config', 'config-validator.generated.js');

const CASES: unknown[] = [
  { ledger: { url: 'sqlite://./l.db' }, catalog: './catalog' },
  { ledger: { url: 'sqlite://./l.db' }, catalog: '' },
  { ledger: { url: 'ftp://x' }, catalgo: './catalog' },
  {
    ledger: { url: 'sqlite://./l.db' },
    catalog: './c',
    queue: { redis: { sentinels: ['127.0.0.1:26379'], name: 'm' }, prefix: 'p' },
    reconcile: { maxRepairShare: 2 },
    sources: { s: { kind: 'sqlite', path: './x.db' } },
  },
];

describe('the prebuilt config validator', () => {
  it('is built, and agrees with the schema compiled now on every case', async () => {
    expect(existsSync(GENERATED), 'npm run build writes it').toBe(true);
    const prebuilt = ((await import(GENERATED)) as { default: ValidateFunction }).default;
    const now = new Ajv(VALIDATOR_OPTIONS).compile(configSchema);
    for (const input of CASES) {
      const a = structuredClone(input);
      const b = structuredClone(input);
      const verdict = [prebuilt(a), now(b)];
      expect(verdict[0]).toBe(verdict[1]);
      const strip = (errors: typeof now.errors) =>
        (errors ?? []).map(({ instancePath, keyword, params, message }) => ({
          instancePath,
          keyword,
          params,
          message,
        }));
      expect(strip(prebuilt.errors)).toEqual(strip(now.errors));
      // useDefaults: the same defaults land in the same places.
      expect(a).toEqual(b);
    }
  });
});
