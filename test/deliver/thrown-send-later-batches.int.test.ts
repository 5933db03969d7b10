/**
 * A send that failed in its first request fails the whole call (a 503 answered, a connection
 * dropped mid-answer: thrown, not returned as outcomes). Only the licenses of that request may
 * have reached the platform: those of the batches after it never left this host. Each of them was
 * counted an attempt all the same (`attempts + 1`, a `deliver-attempt` audit entry saying it was
 * tried), so the audit said they were sent, and their next try asked the platform about a send
 * that never happened.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import { sqliteLedgerForFile } from '../support/file-ledger.js';

const SEAL = 'seal-thrown';
const PIPELINE = 'thrown-send';

/** A platform that answers every request with `reply`, counting the requests that reach it. */
async function startPlatform(
  reply: 'busy' | 'drop',
): Promise<{ url: string; seen: () => number; server: Server }> {
  let seen = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen += 1;
      // Dropped after the request arrived: the platform may have stored it, no answer came back.
      if (reply === 'drop') return req.socket.destroy();
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '120' });
      res.end(JSON.stringify({ code: 503, reason: 'SYSTEM_BUSY' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen: () => seen, server };
}

describe('a send thrown in its first request counts only that request', () => {
  const { ledger, cleanups } = sqliteLedgerForFile();
  let from = 1;
  const commit = signedRuns(ledger, PIPELINE, SEAL);

  /** Each delivery's attempts, in the order of `ids`. */
  const attemptsOf = async (target: string, ids: number[]) =>
    (await ledger().getDeliveries((await ledger().ensureDeliveries(ids, target)).map((r) => r.key))).map(
      (r) => r.attempts,
    );
  const lastSeq = async () => (await ledger().readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
  const attemptEntries = async (afterSeq: number) =>
    (await ledger().readAudit({ afterSeq, limit: 100_000 })).filter((e) => e.action === 'deliver-attempt');

  /** Delivers three new licenses through `target`, one a request: what it threw, attempts, audit entries. */
  async function deliverThree(target: TargetAdapter) {
    cleanups.push(() => target.close());
    const ids = await commit(candidates(from, 3, { pipeline: PIPELINE }));
    from += 3;
    const before = await lastSeq();
    const error = await deliverVersions(target, SEAL, ledger(), ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, attempts: await attemptsOf(target.name, ids), entries: await attemptEntries(before) };
  }

  it('REST/JSON, the first request answered 503: attempts 1, 0, 0', async () => {
    const platform = await startPlatform('busy');
    cleanups.push(() => new Promise((resolve) => platform.server.close(resolve)));
    const { error, attempts, entries } = await deliverThree(
      new RestJsonTarget('province-busy', restConfig(platform.url, { batchSize: 1 })),
    );
    expect(error).toMatchObject({ retryable: true });
    expect(platform.seen()).toBe(1);
    expect(attempts).toEqual([1, 0, 0]);
    expect(entries).toHaveLength(1);
  });

  it('REST/JSON, the first request dropped unanswered: attempts 1, 0, 0', async () => {
    const platform = await startPlatform('drop');
    cleanups.push(() => {
      platform.server.closeAllConnections();
      return new Promise((resolve) => platform.server.close(resolve));
    });
    const { error, attempts, entries } = await deliverThree(
      new RestJsonTarget('province-drop', restConfig(platform.url, { batchSize: 1 })),
    );
    expect(error).toMatchObject({ retryable: true });
    expect(platform.seen()).toBe(1);
    expect(attempts).toEqual([1, 0, 0]);
    expect(entries).toHaveLength(1);
  });

  it('SOAP/XML, the first request answered 503: attempts 1, 0, 0', async () => {
    const platform = await startPlatform('busy');
    cleanups.push(() => new Promise((resolve) => platform.server.close(resolve)));
    const { error, attempts, entries } = await deliverThree(
      new SoapXmlTarget('city-busy', {
        kind: 'soap-xml',
        url: platform.url,
        batchSize: 1,
        timeoutMs: 10_000,
        concurrency: 1,
        attempts: 3,
      }),
    );
    expect(error).toMatchObject({ retryable: true });
    expect(platform.seen()).toBe(1);
    expect(attempts).toEqual([1, 0, 0]);
    expect(entries).toHaveLength(1);
  });
});
