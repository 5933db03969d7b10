/**
 * A run `licbridge run` gives up keeps the error in the ledger, which `licbridge status` prints. A
 * driver's words quote the value they refused (`Duplicate entry '测试敏感名' …`), and a holder's
 * name has no shape to mask: it is hidden as what the CLI prints of an error hides it.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { endGivenUp } from '../../pipelines/run-given-up.js';

const NAME = '测试敏感名';

function ledgerOf(extractedAt: string | null): { ledger: Ledger; errors: string[] } {
  const errors: string[] = [];
  const ledger = {
    getRun: async () => ({ state: 'running', extractedAt }),
    finishRun: async (_runId: string, end: { error: string }) => {
      errors.push(end.error);
    },
  } as unknown as Ledger;
  return { ledger, errors };
}

describe('a run given up', () => {
  it('keeps no value a driver quoted in its error, the key name and the words kept', async () => {
    const error = `ledger: write failed: Duplicate entry '${NAME}' for key 'uk_holder' (ER_DUP_ENTRY)`;
    for (const extractedAt of [null, '2026-12-03T02:00:00.000Z']) {
      const { ledger, errors } = ledgerOf(extractedAt);
      await endGivenUp(ledger, [{ runId: 'r1' }], error);
      expect(errors).toHaveLength(1);
      expect(errors[0]).not.toContain(NAME);
      expect(errors[0]).toContain("Duplicate entry '***' for key 'uk_holder' (ER_DUP_ENTRY)");
    }
  });
});
