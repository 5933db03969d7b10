/**
 * The lag probe of `licbridge serve` logs why it could not measure a pipeline, and keeps it for
 * `status` and /metrics; `status` and /readyz show a source's error the same way. A driver's words
 * there are masked as a failed check's stored message masks them (test/support/driver-error-cases.ts):
 * an ID number kept its first four digits, a credit code, a bank card number, a password from a
 * config reference and a value in backticks told as text stood in clear.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';
import { driverErrorCases } from '../support/driver-error-cases.js';

describe('lag probe: a driver error', async () => {
  const cases = driverErrorCases();
  const lines: string[] = [];
  const logger = createLogger({
    destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
  });
  const config = {
    sources: Object.fromEntries(cases.map((_, i) => [`s${i}`, { kind: 'sqlite', path: ':memory:' }])),
    pipelines: Object.fromEntries(
      cases.map((_, i) => [`p${i}`, { source: `s${i}`, stream: { table: 't', key: 'id' } }]),
    ),
    metrics: { lagIntervalMs: 0, lagLimit: 100 },
  } as unknown as Config;
  const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
  const probe = startLagProbe(
    config,
    ledger,
    async (source) => {
      throw cases[Number(source.slice(1))]?.error;
    },
    logger,
  );
  try {
    await probe.measure();
  } finally {
    probe.close();
  }

  cases.forEach((c, i) => {
    it(c.name, () => {
      const kept = probe.failures().get(`p${i}`);
      expect(kept).toBe(c.shown);
      const logged = lines.find((l) => l.includes(`"pipeline":"p${i}"`)) ?? '';
      expect(logged).toContain('metrics: lag not measured');
      expect(logged).toContain(JSON.stringify(c.shown).slice(1, -1));
      for (const leak of c.leaks) {
        expect(kept).not.toContain(leak);
        expect(logged).not.toContain(leak);
      }
    });
  });
});
