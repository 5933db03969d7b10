/**
 * A renewal, change or transfer-in names the license it continues (`previousIdentifier`, `yzzbs`
 * on the wire), and the platform must hold that license first. The deliver stage ordered versions
 * within one license only: a first version went in the first wave whatever it continued, so with
 * both in one call the successor could go ahead of its predecessor (in license id order), and a
 * successor of a license the platform refused (dead-lettered) was sent anyway. The version it
 * names is now its predecessor at the target, as a license's own earlier version is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, FIXTURE_ISSUER } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';

const SEAL = 'seal-continued';

/** The GB/T 36904 identifier of version 1 of a candidate's license, as a successor names it. */
const firstIdentifier = (c: VersionCandidate): string =>
  buildIdentifier({
    typeCode: '11370200MB1234567X001',
    issuerCode: FIXTURE_ISSUER,
    serial: c.licenseId.split('.').pop() as string,
    version: 1,
  });

/** A license the province refuses: a holder id type it does not know. */
function refused(c: VersionCandidate): VersionCandidate {
  return { ...c, build: (v) => ({ ...c.build(v), holder: { ...c.build(v).holder, idType: 'X9' } }) };
}

function renewalOf(c: VersionCandidate, predecessor: string): VersionCandidate {
  return { ...c, operation: 'renew', build: (v) => ({ ...c.build(v), previousIdentifier: predecessor }) };
}

describe.each(BACKENDS)('a successor delivered with the license it continues ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let sim: ProvinceSimulator;
  let target: RestJsonTarget;
  let tick = 0;
  const commit = signedRuns(() => ledger, 'continued', SEAL);

  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    // Each accepted item takes the next tick: the order the platform took them in.
    sim = await startProvinceSimulator({ clock: () => Date.UTC(2026, 0, 1) + 1000 * ++tick });
    target = new RestJsonTarget('province', restConfig(sim.url));
  });
  afterAll(async () => {
    await target?.close();
    await sim?.close();
    await ledger?.close();
    await db?.dispose();
  });

  it('sends the predecessor first when both go in one call, whatever their ids', async () => {
    // The successor's license id sorts before its predecessor's.
    const before = candidate({ n: 60, pipeline: 'continued', prefix: 'CO' });
    const successor = renewalOf(
      candidate({ n: 5, pipeline: 'continued', prefix: 'CO' }),
      firstIdentifier(before),
    );
    const ids = await commit([before, successor]);
    const r = await deliverVersions(target, SEAL, ledger, ids);
    expect(r.accepted).toBe(2);
    const at = new Map(sim.licenses().map((l) => [l.licenseId, l.acceptedAt]));
    expect(at.get(before.licenseId)).toBeDefined();
    expect(String(at.get(successor.licenseId)) > String(at.get(before.licenseId))).toBe(true);
  });

  it('holds the successor behind a predecessor the platform refused, naming it', async () => {
    const before = refused(candidate({ n: 70, pipeline: 'continued', prefix: 'CO' }));
    const [first] = await commit([before]);
    expect((await deliverVersions(target, SEAL, ledger, [first as number])).dead).toBe(1);
    const successor = renewalOf(
      candidate({ n: 71, pipeline: 'continued', prefix: 'CO' }),
      firstIdentifier(before),
    );
    const [next] = await commit([successor]);
    const r = await deliverVersions(target, SEAL, ledger, [next as number]);
    expect(r.accepted).toBe(0);
    expect(r.dead).toBe(1);
    expect(sim.licenses().some((l) => l.licenseId === successor.licenseId)).toBe(false);
    const [row] = await ledger.getDeliveries(
      (await ledger.deliveryStates([next as number], 'province')).map((s) => s.key),
    );
    expect(row?.reasons.join(' ')).toContain(`waits for ${before.licenseId}`);
  });

  it('waits for a predecessor still on its way, and goes once it landed', async () => {
    const before = candidate({ n: 80, pipeline: 'continued', prefix: 'CO' });
    const [first] = await commit([before]);
    const successor = renewalOf(
      candidate({ n: 81, pipeline: 'continued', prefix: 'CO' }),
      firstIdentifier(before),
    );
    const [next] = await commit([successor]);
    // The predecessor's delivery exists and is open: made, not sent yet.
    await ledger.ensureDeliveries([first as number], 'province');
    const waiting = await deliverVersions(target, SEAL, ledger, [next as number]);
    expect(waiting.accepted).toBe(0);
    expect(waiting.waiting).toBe(1);
    expect((await deliverVersions(target, SEAL, ledger, [first as number])).accepted).toBe(1);
    expect((await deliverVersions(target, SEAL, ledger, [next as number])).accepted).toBe(1);
  });

  it('sends a successor naming a license the ledger does not hold', async () => {
    const outside = candidate({ n: 90, pipeline: 'elsewhere', prefix: 'EL' });
    const successor = renewalOf(
      candidate({ n: 91, pipeline: 'continued', prefix: 'CO' }),
      firstIdentifier(outside),
    );
    const ids = await commit([successor]);
    expect((await deliverVersions(target, SEAL, ledger, ids)).accepted).toBe(1);
  });
});
