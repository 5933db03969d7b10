/**
 * The deliver stage with a front database whose exchange system decides later (`exchangeStatus`):
 * the ledger keeps a written delivery `submitted` (open, and overdue once `pendingAlertMs` passes)
 * until the exchange system's code is read, then accepted, or a dead letter with the code and its
 * reason (personal values masked); a successor waits for the acceptance; a refused row replayed is
 * offered anew; a row gone from the table is a dead letter to replay. SQLite front database and
 * ledger, the test playing the exchange system.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { frontDbDelivery } from './front-db-deliver-fixture.js';

const SEAL = 'seal-review';
const TARGET = 'city-front';
const TABLE = 'UP_LIC_DATA';

describe('deliver stage with a front database that decides later', () => {
  // The city's table, with the column its exchange system writes a refusal's reason into.
  const front = frontDbDelivery(
    'lb-exreview',
    TARGET,
    TABLE,
    { accepted: ['1'], rejected: ['2', '9'], reasonColumn: 'EXCHANGE_MSG' },
    `alter table ${TABLE} add column EXCHANGE_MSG varchar(500) null`,
  );
  const commit = signedRuns(() => front.ledger, 'review', SEAL);
  const keyOf = async (versionId: number) =>
    (await front.ledger.ensureDeliveries([versionId], TARGET))[0]?.key as string;
  const stateOf = async (versionId: number) =>
    (await front.ledger.ensureDeliveries([versionId], TARGET))[0]?.state;
  const decide = (key: string, code: string, msg?: string) =>
    front
      .exchange(TABLE)
      .where('DELIVERY_KEY', key)
      .update({ EXCHANGE_STATUS: code, ...(msg === undefined ? {} : { EXCHANGE_MSG: msg }) });

  it('keeps a written delivery submitted and open until the exchange system takes it in; its successor waits', async () => {
    const [v1] = (await commit([candidate({ n: 1, pipeline: 'review' })])) as [number];
    const [v2] = (await commit([candidate({ n: 1, pipeline: 'review', status: 'revoked' })])) as [number];
    const first = await deliverVersions(front.target, SEAL, front.ledger, [v1, v2]);
    expect(first).toMatchObject({ accepted: 0, submitted: 1, waiting: 1 });
    expect(await stateOf(v1)).toBe('submitted');
    // Still open: status counts it among deliveries overdue once pendingAlertMs has passed.
    const overdue = await front.ledger.overdueDeliveries(TARGET, new Date(Date.now() + 60_000));
    expect(overdue.find((o) => o.pipeline === 'review')?.count).toBe(2);

    // Not picked up yet: asking again changes nothing and writes nothing twice.
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v1, v2])).toMatchObject({
      submitted: 1,
      waiting: 1,
    });
    expect(await front.exchange(TABLE).count({ n: '*' })).toEqual([{ n: 1 }]);

    await decide(await keyOf(v1), '1');
    const second = await deliverVersions(front.target, SEAL, front.ledger, [v1, v2]);
    expect(second).toMatchObject({ submitted: 1 });
    expect(await stateOf(v1)).toBe('accepted');
    expect(await stateOf(v2)).toBe('submitted');
    await decide(await keyOf(v2), '1');
    await deliverVersions(front.target, SEAL, front.ledger, [v1, v2]);
    expect(await stateOf(v2)).toBe('accepted');
  });

  it("dead-letters a refused row with the code and the exchange system's reason, personal values masked", async () => {
    const [v] = (await commit([candidate({ n: 2, pipeline: 'review' })])) as [number];
    await deliverVersions(front.target, SEAL, front.ledger, [v]);
    const key = await keyOf(v);
    const holder = (await front.ledger.getVersions([v]))[0]?.payload.holder.name as string;
    await decide(key, '9', `持有人${holder}与登记信息不一致`);
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({ skipped: 1 });
    const [dead] = await front.ledger.listDeadLetters({ target: TARGET, keys: [key] });
    expect(dead?.reasons[0]).toMatch(
      /^exchange system refused the row of UP_LIC_DATA \(EXCHANGE_STATUS 9\): 持有人/,
    );
    expect(dead?.reasons.join(' ')).not.toContain(holder);

    // Replayed once the cause is fixed: the refused row is written again for the exchange system.
    await front.ledger.replayDeadLetters([key], 'registration fixed at the exchange system');
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({ submitted: 1 });
    expect(await front.exchange(TABLE).where('DELIVERY_KEY', key).first('EXCHANGE_STATUS')).toEqual({
      EXCHANGE_STATUS: '0',
    });
    await decide(key, '1');
    await deliverVersions(front.target, SEAL, front.ledger, [v]);
    expect(await stateOf(v)).toBe('accepted');
  });

  it('dead-letters a delivery whose row left the exchange table undecided; a replay writes it again', async () => {
    const [v] = (await commit([candidate({ n: 3, pipeline: 'review' })])) as [number];
    await deliverVersions(front.target, SEAL, front.ledger, [v]);
    const key = await keyOf(v);
    await front.exchange(TABLE).where('DELIVERY_KEY', key).delete();
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({ skipped: 1 });
    const [dead] = await front.ledger.listDeadLetters({ target: TARGET, keys: [key] });
    expect(dead?.reasons[0]).toContain('no longer holds the row');
    await front.ledger.replayDeadLetters([key]);
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({ submitted: 1 });
    expect(await front.exchange(TABLE).where('DELIVERY_KEY', key).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('dead-letters a row whose code is in no list, naming it; replayed once the code is listed, it is accepted', async () => {
    const [v] = (await commit([candidate({ n: 5, pipeline: 'review' })])) as [number];
    await deliverVersions(front.target, SEAL, front.ledger, [v]);
    const key = await keyOf(v);
    await decide(key, '7');
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({ skipped: 1 });
    expect(await stateOf(v)).toBe('dead');
    const [dead] = await front.ledger.listDeadLetters({ target: TARGET, keys: [key] });
    // The key is named as the ledger stores every reason, its holder's values masked.
    expect(dead?.reasons[0]).toMatch(
      /^target city-front: exchange table UP_LIC_DATA holds EXCHANGE_STATUS `7` for DELIVERY_KEY \S+:1:city-front, a code in none of/,
    );

    // The exchange system's 7 means taken in: listed, the replay reads the row's code again. The
    // letter was tried before it died, so the replayed delivery is asked about before any send
    // (4305d0b5): the row's code answers it, recorded `accepted` without writing the row again,
    // and the call counts it with the deliveries it found decided.
    const listed = new FrontDbTarget(TARGET, {
      ...front.config(),
      exchangeStatus: { accepted: ['1', '7'], rejected: ['2', '9'] },
    });
    try {
      await front.ledger.replayDeadLetters([key]);
      expect(await deliverVersions(listed, SEAL, front.ledger, [v])).toMatchObject({
        accepted: 0,
        skipped: 1,
      });
      expect(await stateOf(v)).toBe('accepted');
      expect(await front.exchange(TABLE).where('DELIVERY_KEY', key).count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      await listed.close();
    }
  });

  it('sends again a delivery whose earlier answer was lost and whose row never landed', async () => {
    const [v] = (await commit([candidate({ n: 4, pipeline: 'review' })])) as [number];
    const key = await keyOf(v);
    // A send that timed out before the row was written: the next job asks the front database first.
    await front.ledger.recordDeliveryAttempt([key], { error: 'timed out', reason: 'timeout' });
    expect(await deliverVersions(front.target, SEAL, front.ledger, [v])).toMatchObject({
      submitted: 1,
      dead: 0,
    });
    expect(await front.ledger.listDeadLetters({ target: TARGET, keys: [key] })).toHaveLength(0);
    expect(await front.exchange(TABLE).where('DELIVERY_KEY', key).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
