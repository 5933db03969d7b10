// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import {
  closed,
  HASH_TAG_PATTERN,
  HOST_PORT_PATTERN,
  int,
  LEDGER_URL_PATTERN,
  PREFIX_PATTERN,
  REDIS_URL_PATTERN,
  type Schema,
  secret,
  str,
} from './builders.js';
import { tls } from './tls.js';

/** The top-level sections: ledger, queue, log. */
export const ledger = closed(
  "licbridge's own store: license versions, checkpoints, signatures, deliveries, audit chain.",
  {
    url: str(
      'Ledger database URL: `sqlite://./data/ledger.db` (relative to this file), `sqlite://:memory:`, or `postgres://user:pass@host:5432/db` in production. A `sqlite://` path is %-decoded (write `%` as `%25`, `?` as `%3F`; `#`, spaces and other characters as they are) and takes no query: `?mode=ro` and the like are refused.',
      { pattern: LEDGER_URL_PATTERN },
    ),
    retryBudgetMs: int(
      'How long a ledger call keeps retrying, with backoff, when the database is unreachable or busy (a PostgreSQL restart or failover, a SQLite writer holding the lock) before the work fails, ms. Only whole transactions that rolled back are retried.',
      0,
      3_600_000,
      { default: 120_000 },
    ),
    queryTimeoutMs: int(
      'PostgreSQL only: how long one ledger statement may go unanswered before its connection is dropped and the call fails, ms; `retryBudgetMs` then retries it on a fresh connection. The same bounds connecting and the wait for a free pooled connection. A network that drops packets (a firewall idle timeout, a failover whose old address goes silent, a paused VM) sends no error, and without it a call waited for TCP, hours. Keep it above the slowest statement the ledger runs on your data (a page commit, a reconcile bucket read, a `status` count: seconds on millions of licenses); migrations run without it.',
      100,
      3_600_000,
      { default: 60_000 },
    ),
    busyTimeoutMs: int(
      "SQLite only: how long a write waits for another process's write lock before the database counts as busy, ms; `retryBudgetMs` then retries it with backoff. The wait blocks the process's thread (no timer, no lock renewal runs meanwhile), so keep it short.",
      0,
      60_000,
      { default: 5000 },
    ),
  },
  ['url'],
);

const addresses = (description: string): Schema => ({
  type: 'array',
  description,
  minItems: 1,
  uniqueItems: true,
  items: str('A `host:port` address.', { pattern: HOST_PORT_PATTERN }),
});

/**
 * `queue.redis`: a URL (one Redis), or a mapping for Redis behind Sentinel or a Redis Cluster.
 * One schema with both types rather than alternatives, so a typo in the mapping is reported as
 * an unknown key with a suggestion: `pattern` applies to the string only, `properties` to the
 * mapping only.
 */
const redis: Schema = {
  type: ['string', 'object'],
  description:
    'Where the queues live. A URL for one Redis: `redis://[user:password@]host:port[/db]` (`rediss://` for TLS). Or a mapping: Redis behind Sentinel (`sentinels` and `name`), a Redis Cluster (`cluster`), or one Redis by `url` with `tls` settings. Write passwords as `${env:…}` references.',
  default: 'redis://127.0.0.1:6379',
  minLength: 1,
  pattern: REDIS_URL_PATTERN,
  additionalProperties: false,
  properties: {
    url: str(
      'One Redis by URL, as a mapping so `tls` can carry a CA or client certificate: `rediss://host:port[/db]`.',
      { pattern: REDIS_URL_PATTERN },
    ),
    sentinels: addresses(
      'Redis Sentinel: the sentinels asked for the current master, as `host:port`. List several, so one sentinel down does not stop licbridge; after a failover every connection moves to the new master.',
    ),
    name: str('Redis Sentinel: the master group name the sentinels monitor (`sentinel monitor <name> …`).'),
    sentinelUsername: str('Redis Sentinel: ACL user of the sentinels themselves, when they ask for one.'),
    sentinelPassword: secret(
      str(
        'Redis Sentinel: password of the sentinels themselves (`requirepass` in sentinel.conf), when they ask for one. Write it as an `${env:…}` reference.',
      ),
    ),
    cluster: addresses(
      'Redis Cluster: nodes to discover the cluster from, as `host:port` (a few are enough). `queue.prefix` must then be a hash tag such as `{licbridge}`, so each queue keeps its keys in one slot.',
    ),
    username: str('ACL user of the master and replicas (Sentinel) or of every node (Cluster).'),
    password: secret(
      str(
        'Password of the master and replicas (Sentinel) or of every node (Cluster). Write it as an `${env:…}` reference.',
      ),
    ),
    db: int('Redis Sentinel: database number. A Redis Cluster has database 0 only.', 0, 65_535, {
      default: 0,
    }),
    tls: {
      default: false,
      description:
        'Connect with TLS, verified: to the sentinels and the master, or to every cluster node. `true`, or the TLS settings themselves (CA, client certificate).',
      anyOf: [{ type: 'boolean', description: 'TLS with the public roots, or none.' }, tls],
    },
  },
  // draft-07 `dependencies`: the keys named also have to be there.
  dependencies: {
    sentinels: ['name'],
    name: ['sentinels'],
    sentinelUsername: ['sentinels'],
    sentinelPassword: ['sentinels'],
  },
  // A mapping is Sentinel or Cluster: exactly one of the two lists.
  if: { type: 'object' },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if`/`then` keyword, not a promise.
  then: {
    oneOf: [
      { required: ['sentinels'], properties: { sentinels: { type: 'array' } } },
      { required: ['cluster'], properties: { cluster: { type: 'array' } } },
      { required: ['url'], properties: { url: { type: 'string' } } },
    ],
  },
};

export const queue: Schema = {
  ...closed('The BullMQ queues between pipeline stages.', {
    redis,
    prefix: str(
      'Prefix of every queue key, so several deployments can share one Redis. On a Redis Cluster, a hash tag in braces such as `{licbridge}`.',
      {
        pattern: PREFIX_PATTERN,
        default: 'licbridge',
      },
    ),
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
  // BullMQ's scripts touch several keys of a queue at once; a cluster runs them only when all
  // those keys hash to one slot, which a hash tag in the prefix guarantees. A cluster has no
  // database but 0, so another `db` is refused rather than ignored.
  if: {
    required: ['redis'],
    properties: {
      redis: { type: 'object', required: ['cluster'], properties: { cluster: { type: 'array' } } },
    },
  },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if`/`then` keyword, not a promise.
  then: {
    required: ['prefix'],
    properties: {
      prefix: {
        type: 'string',
        description: 'On a Redis Cluster: a hash tag in braces.',
        pattern: HASH_TAG_PATTERN,
      },
      redis: {
        type: 'object',
        properties: { db: { type: 'integer', description: 'On a Redis Cluster: 0.', const: 0 } },
      },
    },
  },
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
    format: {
      type: 'string',
      enum: ['auto', 'json', 'text'],
      default: 'auto',
      description:
        'How log lines are written to stderr: `json` (one object a line, for collectors), `text` (one readable line, for a person), or `auto`: text on a terminal, JSON otherwise. `LICBRIDGE_LOG_FORMAT` overrides it.',
    },
  }),
  default: {},
};
