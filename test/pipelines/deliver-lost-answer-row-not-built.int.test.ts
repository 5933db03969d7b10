/**
 * Sends to a front database whose answers were lost, read back on the next try (heldAsSent) to
 * tell a row stored as sent from one stored damaged. One license whose exchange row cannot be
 * built (a fault of no known kind mapping its stored text) failed that read-back for good: the job
 * failed with it, and the deliver worker dead-lettered every open delivery of the job, the ones
 * the exchange table holds as sent too. The read-back now holds the others; that one alone is
 * sent again, fails alone unsent and is dead-lettered, its fault logged masked.
 * SQLite front database and ledger, the test playing the exchange system.
 */
import { describe, expect, it, vi } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { frontDbDelivery } from '../platforms/front-db-deliver-fixture.js';
import { lineLogger } from '../support/log-lines.js';

const faulty = vi.hoisted(() => ({ holder: '' }));
vi.mock('../../adapters/platforms/shared/platform-license.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/shared/platform-license.js')>();
  return {
    ...real,
    toPlatformLicense: (...args: Parameters<typeof real.toPlatformLicense>) => {
      // The fault's text quotes an ID-number-shaped value no log line may show.
      if (args[0].holder.name === faulty.holder)
        throw new TypeError('mapping: cannot read properties of undefined (holder 13912340001)');
      return real.toPlatformLicense(...args);
    },
  };
});

const SEAL = 'seal-lost-row-not-built';
const TARGET = 'city-front';
const TABLE = 'UP_LIC_DATA';

describe("a lost answer read back, one license's row not built", () => {
  const front = frontDbDelivery('lb-lostrow', TARGET, TABLE, { accepted: ['1'], rejected: ['9'] });
  const commit = signedRuns(() => front.ledger, 'lost-row-not-built', SEAL);

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

  it('holds the other two as sent, and dead-letters that one alone', async () => {
    const ids = await commit([1, 2, 3].map((n) => candidate({ n, pipeline: 'lost-row-not-built' })));
    await expect(deliverVersions(losingAnswers(), SEAL, front.ledger, ids)).rejects.toMatchObject({
      retryable: true,
    });
    const keys = (await front.ledger.ensureDeliveries(ids, TARGET)).map((r) => r.key);
    expect(await front.exchange(TABLE).count({ n: '*' })).toEqual([{ n: 3 }]);
    // From now on the second license's row cannot be built: read back or sent.
    faulty.holder = '经营者2';
    const { logger, lines } = lineLogger('warn');

    const result = await deliverVersions(front.target, SEAL, front.ledger, ids, { logger });

    expect(result).toMatchObject({ submitted: 2, dead: 1, accepted: 0 });
    const [first, middle, last] = await front.ledger.getDeliveries(keys);
    expect([first?.state, middle?.state, last?.state]).toEqual(['submitted', 'dead', 'submitted']);
    expect(middle?.reasons).toHaveLength(1);
    // (Masked by shape and cut to 200 characters as every stored reason is: the row names the license.)
    expect(middle?.reasons[0]).toMatch(
      new RegExp(
        `^target ${TARGET}: write to exchange table ${TABLE} not sent: the exchange row of license .+lost-row-not-built`,
      ),
    );
    const line = lines.join('\n');
    expect(lines).toHaveLength(1);
    expect(line).toContain('mapping: cannot read properties of undefined');
    expect(line).not.toContain('13912340001');
    expect(line).not.toContain('经营者2');
  });
});
