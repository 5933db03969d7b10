/**
 * A process works four sign jobs at once: a job spends about as long outside the signer as in it
 * (its versions read, its signatures recorded, its deliveries queued), and with two a local-sm2
 * pool's threads waited about half a run for the next page's batch. Four pages' batches reach the
 * signer together, and each version is handed to the signer once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Signer } from '../../adapters/signers/signer.js';
import { sealIdOf } from '../../config/seal-id.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { signable } from '../../pipelines/stages/sign.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { overriding } from '../support/meanwhile.js';

const PIPELINE = 'food-business-licenses';

const demo = demoRuntime(12);

describe('sign jobs worked at once by one process', () => {
  it("hands four jobs' batches to the signer together, and each version to it once", {
    timeout: 120_000,
  }, async () => {
    const { config, rt, ledger, queues, start } = demo;
    const parts = await rt.pipeline(PIPELINE);
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await extractPipeline(parts, ledger, { runId, full: true, onPage: async () => {}, logger: rt.logger });
    const sealId = sealIdOf(config, parts.config);
    const ids = await ledger.unsignedVersionIds({ sealId, pipeline: PIPELINE });
    expect(ids.length).toBeGreaterThanOrEqual(4);

    // The signer holds each batch until four are with it at once.
    let withSigner = 0;
    let most = 0;
    let release: () => void = () => undefined;
    // Every message the signer was handed, as hex: a version's signed bytes.
    const handed: string[] = [];
    const four = new Promise<void>((resolve) => {
      release = resolve;
    });
    const signing = rt.signing.bind(rt);
    rt.signing = async (name) => {
      const opened = await signing(name);
      const signer = overriding(opened.signer, {
        sign: async (messages: readonly Uint8Array[]) => {
          for (const m of messages) handed.push(Buffer.from(m).toString('hex'));
          withSigner += 1;
          most = Math.max(most, withSigner);
          if (withSigner === 4) release();
          await four;
          withSigner -= 1;
          return opened.signer.sign(messages);
        },
      } as Partial<Signer>);
      return { ...opened, signer };
    };

    // Four jobs of one page each, as an extraction queues them.
    const pages = [ids.slice(0, 1), ids.slice(1, 2), ids.slice(2, 3), ids.slice(3)];
    for (const [i, versionIds] of pages.entries())
      await queues.sign.add(
        'sign',
        { pipeline: PIPELINE, runId, versionIds },
        { jobId: `sign_${runId}_${i}` },
      );
    start(['sign']);

    // Two at once (the former setting) never reach four: this fails, and lets the two go.
    try {
      await expect.poll(() => most, { timeout: 30_000, interval: 50 }).toBe(4);
    } finally {
      release();
    }
    await expect
      .poll(async () => (await ledger.unsignedVersionIds({ sealId, pipeline: PIPELINE })).length, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(0);
    // Not the signatures recorded: one per version and seal whatever the signer was asked (the
    // ledger's key), a version signed twice is recorded once. What the signer was handed, by version.
    const versionOf = new Map<string, number>();
    for (const v of await ledger.getVersions(ids)) {
      const form = signable(v);
      if ('problem' in form) throw new Error(`version ${v.versionId}: ${form.problem}`);
      versionOf.set(Buffer.from(form.bytes).toString('hex'), v.versionId);
    }
    expect(versionOf.size).toBe(ids.length);
    const timesSigned = new Map<number, number>();
    for (const m of handed) {
      const id = versionOf.get(m) ?? -1;
      timesSigned.set(id, (timesSigned.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(timesSigned)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
  });
});
