/**
 * `failingStatusChecks(target)`: one line per pipeline of the submitted deliveries at that target
 * whose status checks fail, counted apart from other pipelines and other targets, with that
 * pipeline's newest failure. A submitted delivery whose check answered since, or an open one whose
 * send failed, is not counted.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger } from './backends.js';
import { newVersions } from './fixtures.js';

for (const backend of BACKENDS) {
  describe(`failing status checks by pipeline and target (${backend.name} ledger)`, () => {
    it('counts each (pipeline, target) apart and names its newest failure', async () => {
      const db = await backend.create();
      const ledger = await openLedger(db.url, { logger: quietLogger });
      try {
        const keysOf = async (pipeline: string, count: number, target: string): Promise<string[]> => {
          const ids = await newVersions(ledger, pipeline, 1, count);
          const rows = await ledger.ensureDeliveries(ids, target);
          const city = await ledger.ensureDeliveries(ids, 'city');
          await ledger.recordDeliveryOutcomes(
            [...rows, ...city].map((d) => ({ key: d.key, state: 'submitted', platformId: `P-${d.key}` })),
          );
          return rows.map((d) => d.key);
        };
        // food: 4 licenses, at the province and the city; market: 3 licenses, likewise.
        const food = await keysOf('food-fsc', 4, 'province');
        const market = await keysOf('market-fsc', 3, 'province');
        const [food0, food1, food2, food3] = food as [string, string, string, string];
        const [market0] = market as [string];
        const cityOf = (k: string) => k.replace(/:province$/, ':city');

        // Apart in time, so that the newest failure of each is one (`updated_at` holds milliseconds).
        const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
        await ledger.recordDeliveryAttempt(
          [food0, food1],
          { error: 'platform: status unknown (frozen)', reason: 'unknown-status' },
          'submitted',
        );
        await tick();
        await ledger.recordDeliveryAttempt(
          [food2],
          { error: 'platform: no result for the key', reason: 'no-result' },
          'submitted',
        );
        await ledger.recordDeliveryAttempt(
          [market0],
          { error: 'platform: results disagree', reason: 'results-disagree' },
          'submitted',
        );
        await ledger.recordDeliveryAttempt(
          [cityOf(food3)],
          { error: 'city: exchange status 9', reason: 'other' },
          'submitted',
        );
        // Answered since its failure: a plain submitted clears it.
        await ledger.recordDeliveryOutcomes([{ key: food1, state: 'submitted', platformId: `P-${food1}` }]);

        const byPipeline = (list: Awaited<ReturnType<Ledger['failingStatusChecks']>>) =>
          list
            .map((f) => ({ pipeline: f.pipeline, target: f.target, count: f.count, lastError: f.lastError }))
            .sort((a, b) => (a.pipeline < b.pipeline ? -1 : 1));
        expect(byPipeline(await ledger.failingStatusChecks('province'))).toEqual([
          {
            pipeline: 'food-fsc',
            target: 'province',
            count: 2,
            lastError: 'platform: no result for the key',
          },
          { pipeline: 'market-fsc', target: 'province', count: 1, lastError: 'platform: results disagree' },
        ]);
        expect(byPipeline(await ledger.failingStatusChecks('city'))).toEqual([
          { pipeline: 'food-fsc', target: 'city', count: 1, lastError: 'city: exchange status 9' },
        ]);
        expect(await ledger.failingStatusChecks('nowhere')).toEqual([]);
      } finally {
        await ledger.close();
        await db.dispose();
      }
    });
  });
}
