/**
 * A front database that cannot be reached (its connection refused) fails the send before any row
 * is written: nothing of the licenses left this host, and the send is no attempt of them. Counted,
 * each license got attempts + 1 and a deliver-attempt audit entry saying it was tried. The
 * failure still shows: the job fails retryably, naming the target.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { frontDbConfig } from '../platforms/front-db-fixtures.js';
import { sqliteLedgerForFile } from '../support/file-ledger.js';

const SEAL = 'seal-front';
const PIPELINE = 'front-db-unreachable';

/** A local port nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('a front database whose connection is refused', () => {
  const { ledger, cleanups } = sqliteLedgerForFile();
  const commit = signedRuns(ledger, PIPELINE, SEAL);
  let from = 1;

  for (const client of ['postgres', 'mysql'] as const) {
    it(`${client}: no attempt, no audit entry, the job fails retryably`, async () => {
      const port = await closedPort();
      const target = new FrontDbTarget(
        `city-${client}`,
        frontDbConfig(
          client,
          { connection: { host: '127.0.0.1', port, user: 'fake', password: 'fake', database: 'fake' } },
          'UP_LIC_DATA',
          { timeoutMs: 5_000 },
        ),
      );
      cleanups.push(() => target.close());
      const ids = await commit(candidates(from, 3, { pipeline: PIPELINE }));
      from += 3;
      const before = (await ledger().readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
      const error = await deliverVersions(target, SEAL, ledger(), ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
      expect((error as Error).message).toContain(`target ${target.name}`);
      const rows = await ledger().getDeliveries(
        (await ledger().ensureDeliveries(ids, target.name)).map((r) => r.key),
      );
      expect(rows.map((r) => [r.state, r.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ]);
      const entries = (await ledger().readAudit({ afterSeq: before, limit: 100_000 })).filter(
        (e) => e.action === 'deliver-attempt',
      );
      expect(entries).toEqual([]);
    });
  }
});
