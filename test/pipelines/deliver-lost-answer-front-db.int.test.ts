/**
 * A send to a front database whose answer was lost (the connection cut after the commit), the
 * exchange system deciding later (`exchangeStatus`): the next try reads the row's code before
 * writing again. A row still undecided and stored as the send writes it is the delivery, held:
 * kept `submitted`, not answered as a duplicate of itself. A row an earlier send stored damaged
 * and failed to take out (a MyISAM table, a latin1 `PAYLOAD` holding a name as `?`s) reads as
 * undecided all the same: that delivery is sent again, and the send rejects it, the row left in the
 * table. A read-back that fails is a status request that failed: nothing sent, the job tries again.
 * SQLite front database and ledger, the test playing the exchange system and the damage.
 */
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { frontDbDelivery } from '../platforms/front-db-deliver-fixture.js';

const SEAL = 'seal-lost-front';
const TARGET = 'city-front';
const TABLE = 'UP_LIC_DATA';

describe('a lost answer from a front database that decides later', () => {
  const front = frontDbDelivery('lb-lostfront', TARGET, TABLE, { accepted: ['1'], rejected: ['9'] });
  const commit = signedRuns(() => front.ledger, 'lost-front', SEAL);

  /** The front-db target whose send writes the rows and then loses its answer. */
  const losingAnswers = (): TargetAdapter => ({
    name: TARGET,
    kind: 'front-db',
    deliver: async (items) => {
      await front.target.deliver(items);
      throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `target ${TARGET}: the connection was cut`, {
        retryable: true,
      });
    },
    close: async () => undefined,
  });
  /** One signed version, written to the exchange table by a send whose answer was lost. */
  const sentAnswerLost = async (n: number) => {
    const ids = await commit([candidate({ n, pipeline: 'lost-front' })]);
    await expect(deliverVersions(losingAnswers(), SEAL, front.ledger, ids)).rejects.toMatchObject({
      retryable: true,
    });
    const [row] = await front.ledger.ensureDeliveries(ids, TARGET);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    const rows = () =>
      front
        .exchange(TABLE)
        .where(COLUMNS.key, row?.key ?? '')
        .select(COLUMNS.batch, COLUMNS.payload);
    expect(await rows()).toHaveLength(1);
    return { ids, key: row?.key ?? '', rows };
  };

  it('a row stored as sent, undecided: kept submitted, not answered as a duplicate of itself', async () => {
    const { ids, key, rows } = await sentAnswerLost(1);
    const before = await rows();
    expect(await deliverVersions(front.target, SEAL, front.ledger, ids)).toMatchObject({
      submitted: 1,
      dead: 0,
    });
    const [row] = await front.ledger.getDeliveries([key]);
    expect(row).toMatchObject({ state: 'submitted', platformId: key });
    expect(row?.receipt?.duplicate).not.toBe(true);
    expect(await rows()).toEqual(before);

    // The exchange system takes it in: the next check records it.
    await front
      .exchange(TABLE)
      .where(COLUMNS.key, key)
      .update({ [COLUMNS.exchangeStatus]: '1' });
    expect(await deliverVersions(front.target, SEAL, front.ledger, ids)).toMatchObject({ skipped: 1 });
    expect((await front.ledger.getDeliveries([key]))[0]?.state).toBe('accepted');
  });

  it('a row an earlier send stored damaged, undecided: sent again, rejected, the row left', async () => {
    const { ids, key, rows } = await sentAnswerLost(2);
    // What a latin1 PAYLOAD of a MyISAM table keeps of the holder's name when the send's DELETE fails.
    const [written] = await rows();
    const damaged = String(written?.[COLUMNS.payload]).replace('经营者2', '????');
    expect(damaged).not.toBe(String(written?.[COLUMNS.payload]));
    await front
      .exchange(TABLE)
      .where(COLUMNS.key, key)
      .update({ [COLUMNS.payload]: damaged });
    expect(await deliverVersions(front.target, SEAL, front.ledger, ids)).toMatchObject({
      dead: 1,
      submitted: 0,
    });
    const [dead] = await front.ledger.listDeadLetters({ target: TARGET, keys: [key] });
    expect(dead?.reasons.join(' ')).toContain("holds this delivery's row from an earlier send");
    expect(dead?.reasons.join(' ')).toContain(`with ${COLUMNS.payload} as a cut to its column`);
    expect((await rows()).map((r) => r[COLUMNS.payload])).toEqual([damaged]);
  });

  it('a read-back that fails leaves the undecided row unverified, unsent; the row taken in is still recorded', async () => {
    const taken = await sentAnswerLost(3);
    const undecided = await sentAnswerLost(4);
    await front
      .exchange(TABLE)
      .where(COLUMNS.key, taken.key)
      .update({ [COLUMNS.exchangeStatus]: '1' });
    const before = await undecided.rows();
    // The status request reads the code; the read-back, which reads PAYLOAD too, fails.
    await front.exchange.raw(`alter table ${TABLE} rename column ${COLUMNS.payload} to PAYLOAD_GONE`);
    try {
      const both = [...taken.ids, ...undecided.ids];
      await expect(deliverVersions(front.target, SEAL, front.ledger, both)).rejects.toMatchObject({
        retryable: true,
        message: expect.stringContaining(
          `the platform could not be asked whether it holds them: target ${TARGET}: reading exchange table ${TABLE} failed`,
        ),
      });
    } finally {
      await front.exchange.raw(`alter table ${TABLE} rename column PAYLOAD_GONE to ${COLUMNS.payload}`);
    }
    expect((await front.ledger.getDeliveries([taken.key]))[0]?.state).toBe('accepted');
    expect((await front.ledger.getDeliveries([undecided.key]))[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
    });
    expect(await undecided.rows()).toEqual(before);

    // Read back once the table answers again: held, kept submitted.
    expect(await deliverVersions(front.target, SEAL, front.ledger, undecided.ids)).toMatchObject({
      submitted: 1,
    });
    expect((await front.ledger.getDeliveries([undecided.key]))[0]?.state).toBe('submitted');
  });
});
