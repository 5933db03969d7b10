/**
 * An LB_VERSION_LIMIT record (a license at version 999 whose row changed again) stays open while
 * the row stays changed: its advice, issuing the change under a new number, leaves the row as it
 * is, and every run that read the change added a record of its own, older ones left open beside the
 * newest. Nothing closed them: the worklist and `status` named the key as still to fix for good.
 * A person now closes them (`quarantine resolve`): every open record's LB_VERSION_LIMIT reason, older
 * duplicates included; another code's reason keeps its record open; one audit entry records it.
 * On both backends.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { ids, realCandidate, setAt999, versionLimitLedger } from './version-limit-fixture.js';

describe.each(BACKENDS)('resolving an LB_VERSION_LIMIT key by hand ($name)', (backend) => {
  const v = versionLimitLedger(backend);
  let ledger: Ledger;
  beforeAll(() => {
    ledger = v.ledger;
  });
  const sync = async (pipeline: string, candidates: VersionCandidate[]) =>
    (await v.sync(pipeline, candidates)).runId;

  /** A license at version 999 whose row two runs read changed: two open LB_VERSION_LIMIT records. */
  async function atLimit() {
    const pipeline = uniqueName('p');
    const serial = `V${randomBytes(6).toString('hex').toUpperCase()}`;
    const first = await sync(pipeline, [realCandidate(pipeline, serial, 'day-999')]);
    await setAt999(v.database.url, serial);
    await sync(pipeline, [realCandidate(pipeline, serial, 'day-1000')]);
    const second = await sync(pipeline, [realCandidate(pipeline, serial, 'day-1001')]);
    return { pipeline, serial, key: `row-${serial}`, first, second };
  }

  const openRecords = async (pipeline: string, key: string) =>
    (await ledger.quarantineHistory({ pipeline, sourceKey: key })).filter((r) => r.resolvedAt === null);

  it('closes every open record of the key, the older one too, and audits it once', async () => {
    const { pipeline, serial, key } = await atLimit();
    expect(await openRecords(pipeline, key)).toHaveLength(2);
    const [entry] = await ledger.openQuarantine({ pipeline });
    expect(entry?.timesSeen).toBe(2);
    const headBefore = (await ledger.auditHeadSeq()) ?? 0;

    expect(await ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: key })).toEqual({
      records: 2,
      keptOpen: 0,
      licenseId: ids.licenseId(serial),
    });
    expect(await ledger.openQuarantine({ pipeline })).toEqual([]);
    expect(await openRecords(pipeline, key)).toEqual([]);
    const entries = await ledger.readAudit({ afterSeq: headBefore });
    expect(entries.map((e) => [e.action, e.licenseId])).toEqual([
      ['quarantine-resolve', ids.licenseId(serial)],
    ]);
    expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({ code: 'LB_VERSION_LIMIT', records: 2 });

    // Nothing open of that code any more: nothing to close, nothing audited.
    expect(await ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: key })).toMatchObject({
      records: 0,
    });
    expect(await ledger.readAudit({ afterSeq: headBefore })).toHaveLength(1);
  });

  it("keeps a record open for another code's reason", async () => {
    const { pipeline, key, first, second } = await atLimit();
    // A sign job met the stored text of version 999 corrupt: its reason joins the newest record.
    const [versionId] = await ledger.runVersionIds(first);
    await ledger.quarantineStoredText({
      pipeline,
      runId: second,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: [{ versionId: versionId as number, problem: 'its stored text does not read' }],
    });

    expect(await ledger.resolveReason({ pipeline, code: 'LB_VERSION_LIMIT', sourceKey: key })).toMatchObject({
      records: 2,
      keptOpen: 1,
    });
    expect(
      (await ledger.openQuarantine({ pipeline })).map((e) => [e.sourceKey, e.reasons.map((r) => r.code)]),
    ).toEqual([[key, ['LB_STORED_TEXT']]]);
  });
});
