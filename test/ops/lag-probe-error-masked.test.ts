/**
 * A source's error may quote a value it could not read, a checkpoint key (a holder's ID or mobile
 * number) among them. The lag probe of `licbridge serve` logs why it could not measure, and keeps
 * it for `status` and /metrics: such numbers are masked in both, as `status` masks them in its
 * own probe's lines; the log line quoted them in clear.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';

const ID = '11010519491231002X';
const MOBILE = '13800138000';
const WORDS = `invalid input syntax for type integer: "${ID}" (contact ${MOBILE})`;

describe('lag probe: a source error quoting a personal number', () => {
  it('is masked in the log line and in the failure kept', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
    });
    const config = {
      sources: { legacy: { kind: 'sqlite', path: ':memory:' } },
      pipelines: { 'food-business-licenses': { source: 'legacy', stream: { table: 't', key: 'id' } } },
      metrics: { lagIntervalMs: 0, lagLimit: 100 },
    } as unknown as Config;
    const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
    const probe = startLagProbe(
      config,
      ledger,
      async () => {
        throw new Error(WORDS);
      },
      logger,
    );
    try {
      await probe.measure();
    } finally {
      probe.close();
    }
    const logged = lines.join('');
    expect(logged).toContain('metrics: lag not measured');
    // The quoted value hidden whole, the number beside it masked (JSON-escaped in the log line).
    expect(logged).toContain(JSON.stringify('integer: "***" (contact *******8000)').slice(1, -1));
    expect(logged).not.toContain(ID);
    expect(logged).not.toContain(MOBILE);
    const kept = probe.failures().get('food-business-licenses') ?? '';
    expect(kept).toContain('integer: "***" (contact *******8000)');
    expect(kept).not.toContain(ID);
    expect(kept).not.toContain(MOBILE);
  });
});
