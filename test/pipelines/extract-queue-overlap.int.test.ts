import { describe, expect, it } from 'vitest';
import type { Signer } from '../../adapters/signers/signer.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import type { CreatedVersion } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { signable } from '../../pipelines/stages/sign.js';
import { startWorkers } from '../../pipelines/workers.js';
import { overriding } from '../support/meanwhile.js';
import { until } from '../support/until.js';
import { overlapRuns } from './extract-overlap-runs.js';

// A committed page's sign jobs are queued (Redis round trips) while the next page is read, mapped
// and committed, so signing is fed without a gap per page: one page's queueing at a time, in page
// order, all of it done before the extraction returns, and a failure of it thrown before the read
// gets further than the page after: that page committed and both left unqueued, the end-of-run
// sweep queues them.
describe('extract: queueing a page overlaps the next page', () => {
  const runs = overlapRuns();

  it("commits the next page while a page's jobs are queued, queues in page order, and waits for the last", async () => {
    const events: string[] = [];
    const { parts, ledger, runId } = await runs.fresh(events);
    let pages = 0;
    const totals = await extractPipeline(parts, ledger, {
      runId,
      full: true,
      logger: createLogger({ level: 'silent' }),
      onPage: async (created: CreatedVersion[]) => {
        pages += 1;
        const page = pages;
        events.push(`queue ${page} (${created.length})`);
        // Page 1's queueing ends once page 2 is committed: read, mapped and committed meanwhile.
        // Before the overlap, page 2 was read only after it: bounded, the wait fails the extraction.
        if (page === 1)
          await until(() => events.includes('commit 2'), undefined, {
            what: "page 2 committed while page 1's jobs were queued",
          });
        events.push(`queued ${page}`);
      },
      onProgress: (p) => {
        events.push(`progress ${p.pages}`);
      },
    });
    expect(totals).toMatchObject({ pages: 3, read: 12 });
    expect(events.slice(0, 2)).toEqual(['commit 1', 'queue 1 (4)']);
    // Page 2 committed before page 1's jobs were queued.
    expect(events.indexOf('commit 2')).toBeLessThan(events.indexOf('queued 1'));
    // One page at a time: page 2's queueing and page 3's commit come after page 1's queueing ended.
    expect(events.indexOf('queue 2 (4)')).toBeGreaterThan(events.indexOf('progress 1'));
    expect(events.indexOf('commit 3')).toBeGreaterThan(events.indexOf('queued 1'));
    // Every page queued, in order, before the extraction returned.
    expect(events.filter((e) => e.startsWith('queued '))).toEqual(['queued 1', 'queued 2', 'queued 3']);
    expect(events.at(-1)).toBe('progress 3');
  });

  it("throws a page's failed queueing, reading no further than the page after", async () => {
    const events: string[] = [];
    const { parts, ledger, runId } = await runs.fresh(events);
    let pages = 0;
    const failed = extractPipeline(parts, ledger, {
      runId,
      full: true,
      logger: createLogger({ level: 'silent' }),
      onPage: async () => {
        pages += 1;
        events.push(`queue ${pages}`);
        if (pages === 1) throw new Error('redis: connection lost');
      },
    });
    await expect(failed).rejects.toThrow('redis: connection lost');
    expect(events).toEqual(['commit 1', 'queue 1', 'commit 2']);
  });
  it('leaves a page whose queueing failed, and the page committed after it, to the end-of-run sweep: each version signed once', {
    timeout: 120_000,
  }, async () => {
    const events: string[] = [];
    let pageTwoIn = false;
    const { parts, ledger, real, runId, runtime, config } = await runs.fresh(events, {
      committed: (page) => {
        if (page === 2) pageTwoIn = true;
      },
    });
    // The extract worker commits through `ledger`, so the test sees each commit.
    runtime.ledger = async () => ledger;
    const logger = createLogger({ level: 'silent' });
    const queues = createQueues(
      queueConnection(config.queue.redis),
      config.queue.prefix,
      ['province'],
      logger,
    );
    // Page 1's sign job fails to be queued once page 2 is committed: the extraction throws it at
    // page 2's turn, before page 2's jobs are queued; the job's next attempt reads on from page 3.
    let adds = 0;
    const sign = queues.sign;
    queues.sign = overriding(sign, {
      add: async (...args: Parameters<typeof sign.add>) => {
        adds += 1;
        if (adds === 1) {
          await until(() => pageTwoIn, undefined, {
            what: "page 2 committed while page 1's jobs were queued",
          });
          throw new Error('redis: connection lost');
        }
        return sign.add(...args);
      },
    } as Partial<typeof sign>);
    // Every message handed to the signer, as hex: a version's signed bytes.
    const handed: string[] = [];
    const signing = runtime.signing.bind(runtime);
    runtime.signing = async (name) => {
      const opened = await signing(name);
      const signer = overriding(opened.signer, {
        sign: async (messages: readonly Uint8Array[]) => {
          for (const m of messages) handed.push(Buffer.from(m).toString('hex'));
          return opened.signer.sign(messages);
        },
      } as Partial<Signer>);
      return { ...opened, signer };
    };
    const set = startWorkers(runtime, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['extract', 'sign'],
    });
    try {
      await enqueueExtract(queues, { pipeline: parts.name, runId, full: true });
      const sealId = sealIdOf(config, parts.config);
      await until(async () => Boolean((await real.getRun(runId))?.extractedAt), undefined, {
        what: 'the run extracted',
      });
      await until(
        async () => (await real.unsignedVersionIds({ sealId, pipeline: parts.name })).length === 0,
        undefined,
        {
          what: 'every version signed',
        },
      );
      // The failed queueing happened as staged, and no page was committed twice.
      expect(adds).toBeGreaterThan(1);
      expect(events).toEqual(['commit 1', 'commit 2', 'commit 3']);
      expect(await real.getRun(runId)).toMatchObject({ read: 12 });
      // Each of the run's 12 versions handed to the signer once.
      const versions = await real.getVersions(Array.from({ length: 12 }, (_, i) => i + 1));
      const versionOf = new Map<string, number>();
      for (const v of versions) {
        const form = signable(v);
        if ('problem' in form) throw new Error(`version ${v.versionId}: ${form.problem}`);
        versionOf.set(Buffer.from(form.bytes).toString('hex'), v.versionId);
      }
      expect(versionOf.size).toBe(12);
      const timesSigned: Record<number, number> = {};
      for (const m of handed) {
        const id = versionOf.get(m) ?? -1;
        timesSigned[id] = (timesSigned[id] ?? 0) + 1;
      }
      expect(timesSigned).toEqual(Object.fromEntries([...versionOf.values()].map((id) => [id, 1])));
    } finally {
      await set.close();
      await queues.close();
    }
  });
});
