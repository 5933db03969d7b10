/**
 * Which replayed dead letters the deliver stage asks the platform about before sending them again
 * (ledger/dead-letters.ts `unsureLease`): those whose send the platform may hold, read back as a
 * delivery whose sender's lease ran out unanswered (`leaseLapsed`). One the platform refused on
 * its only send, or never sent, starts clean and is sent at once, as before.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS, withLedger } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';

async function deadLetters(ledger: Ledger, count: number): Promise<string[]> {
  const ids = await newVersions(ledger, uniqueName('replay-unsure'), 1, count);
  return (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key);
}

describe.each(BACKENDS)('replayed dead letters the platform may hold ($name)', (backend) => {
  it('are read as sent with no answer recorded; a refusal of the only send is not', async () => {
    await withLedger(backend, async (ledger) => {
      const [refused, reviewed, again] = await deadLetters(ledger, 3);
      if (!refused || !reviewed || !again) throw new Error('three deliveries expected');
      // Refused on its only send: a dead letter of the platform's answer.
      // Reviewed: the platform took it for review, and its status went unanswered to the end.
      // Again: refused on its only send, replayed, and refused again.
      await ledger.recordDeliveryOutcomes([
        { key: refused, state: 'dead', reasons: ['platform: field zzbh missing'] },
        { key: reviewed, state: 'submitted', platformId: 'P-2' },
        { key: again, state: 'dead', reasons: ['platform: field zzbh missing'] },
      ]);
      await ledger.recordDeliveryOutcomes([
        { key: reviewed, state: 'dead', reasons: ['platform answered with an unknown status'] },
      ]);
      expect(await ledger.replayDeadLetters([again])).toHaveLength(1);
      await ledger.recordDeliveryOutcomes([
        { key: again, state: 'dead', reasons: ['platform: field zzbh missing'], from: 'pending' },
      ]);

      expect(await ledger.replayDeadLetters([refused, reviewed, again])).toHaveLength(3);
      const rows = new Map((await ledger.getDeliveries([refused, reviewed, again])).map((r) => [r.key, r]));
      expect([refused, reviewed, again].map((k) => [rows.get(k)?.state, rows.get(k)?.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ]);
      // Asked about first by whichever job takes it (pipelines/stages/deliver-lost-answers.ts).
      expect(rows.get(refused)?.leaseLapsed).toBeUndefined();
      expect(rows.get(reviewed)?.leaseLapsed).toBe(true);
      expect(rows.get(again)?.leaseLapsed).toBe(true);
      // Nobody alive holds it: a sender claims it as any delivery whose lease ran out.
      const [first] = await ledger.ensureDeliveries([rows.get(reviewed)?.versionId ?? 0], 'province', {
        owner: 'sender-1',
        leaseMs: 60_000,
      });
      expect(first?.leaseHeld).toBeUndefined();
      expect(await ledger.claimDeliveries([reviewed], 'sender-1', 60_000)).toEqual([reviewed]);
      expect((await ledger.getDeliveries([reviewed]))[0]?.leaseLapsed).toBeUndefined();
    });
  });
});
