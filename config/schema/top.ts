// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import {
  closed,
  int,
  LEDGER_URL_PATTERN,
  PREFIX_PATTERN,
  REDIS_URL_PATTERN,
  type Schema,
  str,
} from './builders.js';

/** The top-level sections: ledger, queue, log. */
export const ledger = closed(
  "licbridge's own store: license versions, checkpoints, signatures, deliveries, audit chain.",
  {
    url: str(
      'Ledger database URL: `sqlite://./data/ledger.db` (relative to this file), `sqlite://:memory:`, or `postgres://user:pass@host:5432/db` in production.',
      { pattern: LEDGER_URL_PATTERN },
    ),
    retryBudgetMs: int(
      'How long a ledger call keeps retrying, with backoff, when the database is unreachable or busy (a PostgreSQL restart or failover, a SQLite writer holding the lock) before the work fails, ms. Only whole transactions that rolled back are retried.',
      0,
      3_600_000,
      { default: 120_000 },
    ),
  },
  ['url'],
);

export const queue: Schema = {
  ...closed('The BullMQ queues between pipeline stages.', {
    redis: str('Redis URL the queues live in.', {
      pattern: REDIS_URL_PATTERN,
      default: 'redis://127.0.0.1:6379',
    }),
    prefix: str('Prefix of every queue key, so several deployments can share one Redis.', {
      pattern: PREFIX_PATTERN,
      default: 'licbridge',
    }),
    connectTimeoutMs: int('How long to wait for Redis before giving up, ms.', 100, 600_000, {
      default: 5000,
    }),
    lockDurationMs: int(
      "How long a worker holds a job's lock without renewing it, ms. A worker that died (killed, host lost) leaves its jobs locked this long; then the workers still alive take them over.",
      1000,
      600_000,
      { default: 10_000 },
    ),
    stalledIntervalMs: int(
      'How often each worker looks for jobs whose worker died (their lock ran out), ms.',
      500,
      600_000,
      { default: 2000 },
    ),
  }),
  default: {},
};

export const log: Schema = {
  ...closed('Logging.', {
    level: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'Lowest level written to the log.',
    },
  }),
  default: {},
};
