/**
 * A job that fails leaves its error in Redis (failedReason, stacktrace) for as long as failed jobs
 * are kept. A driver's or a platform's words quote rows — a holder's name, ID number, phone — and a
 * connection's secret, none of which may sit in Redis: what every stage's worker stores is
 * masked and scrubbed, and still names the error's code.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { heapGrowthLimited } from '../../core/heap-growth.js';
import { createLogger } from '../../core/logger.js';
import { registerSecret } from '../../core/scrub.js';
import type { Ledger } from '../../ledger/ledger.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const RESIDENT_ID = '11010519491231002X';
const MOBILE = '13800138000';
const HOLDER = '欧阳秀英';
const SECRET = 'pw-Zq8rT2vLk9XmB4nW';
/** A holder's name as a business is named: parentheses inside it (a branch, a city). */
const COMPANY = '欧阳食品(北京)有限公司';

/** A Runtime whose ledger cannot be opened: every stage fails with `failure()`. */
class FailingRuntime extends Runtime {
  constructor(
    config: Readonly<Config>,
    private readonly failure: () => Error,
  ) {
    super(config, createLogger({ level: 'silent' }));
  }
  override ledger(): Promise<Ledger> {
    return Promise.reject(this.failure());
  }
}

/** Every key under `prefix` and every value it holds, as one text. */
async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  let dump = '';
  try {
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      dump += `${key}\n`;
      if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
      else if (type === 'string') dump += await redis.get(key);
      else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1));
      else if (type === 'zset') dump += JSON.stringify(await redis.zrange(key, 0, -1));
      else if (type === 'set') dump += JSON.stringify(await redis.smembers(key));
      else if (type === 'stream') dump += JSON.stringify(await redis.xrange(key, '-', '+'));
    }
  } finally {
    redis.disconnect();
  }
  return dump;
}

/** What fails, the code its stored reason keeps, and the error BullMQ is handed (retried or not). */
const cases: [string, () => Error, string, string][] = [
  [
    'a driver error',
    () =>
      Object.assign(
        new Error(
          `Duplicate entry '${HOLDER}' for key 'uq_holder': holder ${RESIDENT_ID} phone ${MOBILE} via mysql://lb:${SECRET}@db`,
        ),
        { code: 'ER_DUP_ENTRY' },
      ),
    'ER_DUP_ENTRY',
    'Error',
  ],
  [
    'a driver error whose key value holds parentheses',
    () =>
      Object.assign(
        new Error(
          `Violation of UNIQUE KEY constraint 'UQ_XKZ'. Cannot insert duplicate key in object 'dbo.T_XKZ'. The duplicate key value is (${COMPANY}, ${HOLDER}).`,
        ),
        { code: 'EREQUEST', number: 2627 },
      ),
    'EREQUEST',
    'Error',
  ],
  [
    'a licbridge error quoting a platform',
    () =>
      new LicbridgeError(
        ErrorCodes.TARGET_REJECTED,
        `target province: refused: 证件号码 ${RESIDENT_ID} 电话 ${MOBILE} token ${SECRET}`,
        { retryable: false },
      ),
    ErrorCodes.TARGET_REJECTED,
    'UnrecoverableError',
  ],
  [
    'a retryable licbridge error',
    () =>
      new LicbridgeError(
        ErrorCodes.SOURCE_UNREACHABLE,
        `source market-food: query failed: Duplicate entry '${HOLDER}' for key 'uq': 证件号码 ${RESIDENT_ID} 电话 ${MOBILE} password ${SECRET}`,
        { retryable: true },
      ),
    ErrorCodes.SOURCE_UNREACHABLE,
    'Error',
  ],
];

describe('a failed job keeps no personal data or secret in Redis', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    // As the config loader registers a value it read from an env reference.
    registerSecret(SECRET, 'env:TEST_WORKER_SECRET');
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it.each(cases)(
    '%s, in every stage',
    async (_what, failure, code, handed) => {
      const prefix = `${ws.prefix}-${code}`;
      const connection = queueConnection(config.queue.redis);
      const queues: QueueSet = createQueues(
        connection,
        prefix,
        ['province'],
        createLogger({ level: 'silent' }),
      );
      const rt = new FailingRuntime(config, failure);
      const workers = startWorkers(rt, {
        connection,
        prefix,
        queues,
        stages: ['extract', 'sign', 'deliver', 'reconcile', 'lifecycle'],
      });
      try {
        // A process running workers holds V8's heap growth to a factor of 2 (core/heap-growth.ts).
        expect(heapGrowthLimited()).toBe(true);
        const once = { attempts: 1 };
        const deliver = queues.deliver.get('province');
        if (!deliver) throw new Error('no deliver queue');
        const queueOf = (name: string) =>
          [queues.extract, queues.sign, deliver, queues.reconcile, queues.lifecycle].find(
            (q) => q.name === name,
          ) as never;
        const jobs = [
          await queues.extract.add('extract', { pipeline: PIPELINE, runId: 'r1', full: false }, once),
          await queues.sign.add('sign', { pipeline: PIPELINE, runId: 'r1', versionIds: [1] }, once),
          await deliver.add(
            'deliver',
            { pipeline: PIPELINE, runId: 'r1', target: 'province', versionIds: [1] },
            once,
          ),
          await queues.reconcile.add('reconcile', { pipeline: PIPELINE }, once),
          await queues.lifecycle.add('lifecycle', {}, once),
        ];
        for (const job of jobs) {
          while ((await job.getState()) !== 'failed') await new Promise((r) => setTimeout(r, 50));
          const stored = await bullmq.Job.fromId(queueOf(job.queueName), job.id ?? '');
          // What a person needs to act on is still there: the code, and the stack's frames.
          expect(stored?.failedReason, job.queueName).toContain(code);
          expect((stored?.stacktrace ?? []).join('\n')).toMatch(/\n\s+at /);
          // A non-retryable error fails the job at once, also when thrown outside a stage's own try.
          expect(stored?.stacktrace?.[0]?.split(':')[0], job.queueName).toBe(handed);
        }
        const dump = await redisDump(prefix);
        expect(dump).toContain(code);
        for (const value of [RESIDENT_ID, MOBILE, SECRET, HOLDER, COMPANY.slice(-4)])
          expect(dump).not.toContain(value);
        // Nor a long piece of them (a driver cuts values short).
        expect(dump).not.toContain(RESIDENT_ID.slice(0, 14));
        expect(dump).not.toContain(MOBILE.slice(0, 7));
      } finally {
        await workers.close(true);
        await queues.close();
        await rt.close();
        await obliterate(prefix);
      }
    },
    60_000,
  );
});
