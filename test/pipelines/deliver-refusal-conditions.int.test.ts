/**
 * The deliver stage's own dead letters — a license file it refuses to send (deliver-files.ts), a
 * delivery held behind a predecessor it read dead — are verdicts drawn from its read of the rows,
 * not the platform's word. Each is written only while the row is as read (state and `revision`)
 * and no other sender holds a live lease on it. The interleavings: this job claims the delivery,
 * its lease runs out while it reads the file, another job claims and sends the delivery (its
 * answer still on the way, or its send failed after the platform may have taken it); then this
 * job refuses the file. The other job's send stays the ledger's word on the delivery; this job
 * counts it as waiting (it looks again later) and lets go of its own lease on it at once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { type DeliverResult, deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { makeTempDir } from '../signers/helpers.js';
import { meanwhile } from '../support/meanwhile.js';

const SEAL = 'seal-refusal-conditions';
const PIPELINE = 'refusal-conditions';

for (const backend of BACKENDS) {
  describe(`the deliver stage's own dead letters and another job's send (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const { commit, nextLicense, oneDelivery } = signedDeliveries(() => env.ledger, PIPELINE, SEAL);
    const temp = makeTempDir();
    /** The file store the other job reads; this job's (`missing`) lacks the file. */
    const store = join(temp.dir, 'store');
    const missing = join(temp.dir, 'store-not-mounted');
    let files: TargetAdapter;

    beforeAll(() => {
      mkdirSync(missing, { recursive: true });
      // The province taking each version's license file, as base64 in its item.
      files = new RestJsonTarget(
        'province',
        restConfig(env.server.url, { licenseFiles: { send: 'base64' } }),
      );
    });
    afterAll(async () => {
      await (files as RestJsonTarget | undefined)?.close();
      temp.cleanup();
    });

    /** One signed delivery whose version has a license file in `store`. */
    async function deliveryWithFile(): Promise<{ ids: number[]; key: string }> {
      const one = await oneDelivery();
      const [v] = await env.ledger.getVersions(one.ids);
      if (!v) throw new Error('no version');
      const path = `${v.licenseId}-${v.version}.ofd`;
      const bytes = Buffer.from(`sealed file of ${v.licenseId}`);
      mkdirSync(store, { recursive: true });
      writeFileSync(join(store, path), bytes);
      await env.ledger.licenseFiles.record([
        {
          versionId: v.versionId,
          licenseId: v.licenseId,
          version: v.version,
          pipeline: PIPELINE,
          path,
          sm3: createHash('sm3').update(bytes).digest('hex'),
          size: bytes.length,
          seal: SEAL,
          signedAt: new Date(),
        },
      ]);
      return one;
    }

    /**
     * This job (its lease 1 ms, its store without the file): `step` runs once it has claimed the
     * delivery and its lease has run out, before it reads the file.
     */
    function refusingJob(ids: number[], step: () => Promise<void>): Promise<DeliverResult> {
      const late = meanwhile(env.ledger, 'claimDeliveries', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await step();
      });
      return deliverVersions(files, SEAL, late, ids, { leaseMs: 1, fileStore: missing });
    }

    it('leaves a delivery another job is sending to that send’s submitted', async () => {
      const { ids, key } = await deliveryWithFile();
      let sent = (): void => undefined;
      const inFlight = new Promise<void>((resolve) => {
        sent = resolve;
      });
      let answer = (): void => undefined;
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      // The other job's send: the platform has taken it; the answer reaches the job once released.
      const sender = meanwhile(files, 'deliver', async () => {
        sent();
        await answered;
      });
      let sending: Promise<DeliverResult> | undefined;
      const refusing = await refusingJob(ids, async () => {
        sending = deliverVersions(sender, SEAL, env.ledger, ids, { fileStore: store });
        await inFlight;
      });
      answer();
      const result = await sending;

      // The delivery is the other job's now: this one looks again later, not done with it.
      expect(refusing).toMatchObject({ dead: 0, waiting: 1 });
      expect(result).toMatchObject({ submitted: 1, dead: 0 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', platformId: `P-${key}`, reasons: [] });
      expect(await env.ledger.listDeadLetters({ keys: [key] })).toEqual([]);
    });

    it('leaves a delivery whose send by another job failed meanwhile to that job’s next try', async () => {
      const { ids, key } = await deliveryWithFile();
      // The other job's send reaches the platform; its answer is lost (a timeout).
      const timingOut = meanwhile(files, 'deliver', async () => {
        throw new Error('target province: timeout after 2000 ms');
      });
      const refusing = await refusingJob(ids, async () => {
        await expect(deliverVersions(timingOut, SEAL, env.ledger, ids, { fileStore: store })).rejects.toThrow(
          'timeout',
        );
      });

      expect(refusing).toMatchObject({ dead: 0, waiting: 1 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'pending', attempts: 1, reasons: [] });
      // Its next try asks the platform first, which holds it.
      env.status = (k) => [{ key: k, status: 'accepted', platformId: `P-${k}`, errors: [] }];
      try {
        expect(await deliverVersions(files, SEAL, env.ledger, ids, { fileStore: store })).toMatchObject({
          skipped: 1,
          dead: 0,
        });
      } finally {
        env.status = () => [];
      }
      const [landed] = await env.ledger.getDeliveries([key]);
      expect(landed).toMatchObject({ state: 'accepted', platformId: `P-${key}` });
    });

    it('lets go of its lease on a refusal it could not write, for the other job’s next try', async () => {
      const { ids, key } = await deliveryWithFile();
      let claimed = (): void => undefined;
      const claim = new Promise<void>((resolve) => {
        claimed = resolve;
      });
      let failed = (): void => undefined;
      const failure = new Promise<void>((resolve) => {
        failed = resolve;
      });
      let refusing: Promise<DeliverResult> | undefined;
      // The other job's send outlives its lease (1 ms): this job (its lease the default minute)
      // claims the delivery before the send times out, which counts an attempt; then it refuses.
      const slow = meanwhile(
        files,
        'deliver',
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const holding = meanwhile(env.ledger, 'claimDeliveries', async () => {
            claimed();
            await failure;
          });
          refusing = deliverVersions(files, SEAL, holding, ids, { fileStore: missing });
          await claim;
          throw new Error('target province: timeout after 2000 ms');
        },
        { before: true },
      );
      // Its lease is not renewed while it sends (a renewal, claimDeliveries of three arguments,
      // keeps the keys without writing): renewed every millisecond for one, it ran out or did not
      // as the timers fell, and where this job read it held it claimed nothing and the test waited
      // for a claim that never came.
      const unrenewed = new Proxy(env.ledger, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function') return value;
          if (prop !== 'claimDeliveries') return value.bind(target);
          return (...args: unknown[]) =>
            args.length === 3 ? Promise.resolve([...(args[0] as string[])]) : value.apply(target, args);
        },
      });
      await expect(
        deliverVersions(slow, SEAL, unrenewed, ids, { leaseMs: 1, fileStore: store }),
      ).rejects.toThrow('timeout');
      failed();
      expect(await refusing).toMatchObject({ dead: 0, waiting: 1 });
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({ state: 'pending', attempts: 1 });

      // The other job's next try: the platform does not hold it, and it is sent now, not held
      // back behind the refusing job's lease for a minute.
      expect(await deliverVersions(files, SEAL, env.ledger, ids, { fileStore: store })).toMatchObject({
        submitted: 1,
        waiting: 0,
      });
    });

    it('dead-letters a refused file when nobody else wrote or holds the delivery', async () => {
      const { ids, key } = await deliveryWithFile();
      const result = await refusingJob(ids, async () => undefined);
      expect(result.dead).toBe(1);
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after?.state).toBe('dead');
      expect(after?.reasons.join(' ')).toContain('missing from the file store');
    });

    it('leaves a delivery held behind a dead predecessor whose send by another job failed meanwhile', async () => {
      const n = nextLicense();
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, content: 'b' })]);
      const [first] = await env.ledger.ensureDeliveries([v1 as number], 'province');
      await env.ledger.recordDeliveryOutcomes([{ key: first?.key ?? '', state: 'dead', reasons: ['zzbh'] }]);
      const [second] = await env.ledger.ensureDeliveries([v2 as number], 'province');
      const key = second?.key ?? '';
      // Read with its predecessor dead; another job, which read the predecessor landed, sent it,
      // and its send failed after the platform may have taken it (an attempt, its lease let go).
      const reading = meanwhile(env.ledger, 'deliveryPredecessors', async () => {
        await env.ledger.recordDeliveryAttempt([key], {
          error: 'target province: timeout after 2000 ms',
          reason: 'timeout',
        });
      });
      const result = await deliverVersions(env.province, SEAL, reading, [v2 as number]);

      expect(result).toMatchObject({ dead: 0, waiting: 1 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'pending', attempts: 1, reasons: [] });
    });
  });
}
