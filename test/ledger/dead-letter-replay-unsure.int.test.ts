/**
 * Which replayed dead letters the deliver stage asks the platform about before sending them again
 * (ledger/dead-letters.ts `unsureLease`): those whose send the platform may hold, read back as a
 * delivery whose sender's lease ran out unanswered (`leaseLapsed`). One the platform refused on
 * its only send, or never sent, starts clean and is sent at once, as before. A dead letter written
 * over the lease of a sender that died counts that sender's send (ledger/delivery-outcomes.ts
 * `SENDER_DIED`): it may have reached the platform though no attempt of it was recorded.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { until } from '../support/until.js';
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

  it("count a dead sender's send, so a replay asks first; a lease let go, or the replay's own, adds none", async () => {
    await withLedger(backend, async (ledger) => {
      const [died, released, replayed] = await deadLetters(ledger, 3);
      if (!died || !released || !replayed) throw new Error('three deliveries expected');
      // Died: claimed by a sender killed after its send, its lease left to run out.
      // Released: claimed and let go, never sent (held back, its send not begun).
      // Replayed: a dead sender's letter replayed, its job unable to ask either, dead again.
      expect(await ledger.claimDeliveries([died, replayed], 'sender-died', 50)).toEqual([died, replayed]);
      expect(await ledger.claimDeliveries([released], 'sender-live', 60_000)).toEqual([released]);
      await ledger.releaseDeliveries([released], 'sender-live');
      await until(async () =>
        (await ledger.getDeliveries([died, replayed])).every((r) => r.leaseLapsed === true),
      );
      const reasons = ['the platform could not be asked whether it holds them'];
      const dead = (keys: string[]) =>
        ledger.recordDeliveryOutcomes(keys.map((key) => ({ key, state: 'dead', reasons, unleased: {} })));
      expect(await dead([died, released, replayed])).toEqual([died, released, replayed]);
      const attempts = async (keys: string[]) =>
        (await ledger.getDeliveries(keys)).map((r) => [r.state, r.attempts]);
      expect(await attempts([died, released, replayed])).toEqual([
        ['dead', 2],
        ['dead', 1],
        ['dead', 2],
      ]);
      expect(await ledger.replayDeadLetters([replayed])).toHaveLength(1);
      expect(await dead([replayed])).toEqual([replayed]);
      // The replay's mark stands for a send counted in the round it carried.
      expect(await attempts([replayed])).toEqual([['dead', 1]]);

      expect(await ledger.replayDeadLetters([died, released, replayed])).toHaveLength(3);
      const rows = new Map((await ledger.getDeliveries([died, released, replayed])).map((r) => [r.key, r]));
      expect(rows.get(died)?.leaseLapsed).toBe(true);
      expect(rows.get(released)?.leaseLapsed).toBeUndefined();
      expect(rows.get(replayed)?.leaseLapsed).toBe(true);
    });
  });
});
