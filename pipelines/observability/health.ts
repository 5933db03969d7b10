import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { failureMessage } from '../../core/errors.js';
import { nodeTlsOptions, type TlsSettings } from '../../core/tls.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createRedisClient, type QueueRedis } from '../redis.js';
import { withTimeout } from './timeout.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed; shown only to an authenticated client, and never holds credentials or logins. */
  error?: string;
  ms: number;
}

export interface ReadinessReport {
  ok: boolean;
  checks: CheckResult[];
}

export interface ReadinessDeps {
  config: Readonly<Config>;
  /** Long-lived client used only for PING; it reconnects by itself after Redis comes back. */
  redis: Redis | Cluster;
  ledger: Ledger;
  source(name: string): Promise<SourceConnector>;
}

/** A Redis client for health checks: fails fast while Redis is down, reconnects when it returns. */
export function healthRedis(redis: QueueRedis, timeoutMs: number): Redis | Cluster {
  const client = createRedisClient(redis, {
    // A PING sent while (re)connecting waits for the connection, bounded by the check's timeout,
    // so the first /readyz after a start or a Redis restart is not a false alarm.
    maxRetriesPerRequest: 1,
    commandTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => {
    // Reported by the PING check.
  });
  return client;
}

/**
 * /readyz: Redis answers PING, the ledger answers a read, every source accepts a connection
 * (unless `serve.checkSources` is off), and every target's host and every signing server a pipeline
 * uses answer an HTTP request, over their own `tls:`. Each
 * check has `serve.checkTimeoutMs`; they run in parallel so one slow part does not hide another.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const { config } = deps;
  const timeout = config.serve.checkTimeoutMs;
  const checks: Promise<CheckResult>[] = [
    run('redis', timeout, async () => {
      await deps.redis.ping();
    }),
    run('ledger', timeout, async () => {
      await deps.ledger.getCheckpoint('__readyz__');
    }),
  ];
  if (config.serve.checkSources) {
    for (const name of Object.keys(config.sources)) {
      checks.push(run(`source:${name}`, timeout, async () => (await deps.source(name)).checkConnection()));
    }
  }
  for (const [name, t] of Object.entries(config.targets)) {
    const { url, tls } = t as HttpPart;
    if (typeof url !== 'string') continue;
    checks.push(run(`target:${name}`, timeout, () => httpAnswers(url, timeout, tls)));
  }
  // A signing server that does not answer stops every pipeline signing with it: nothing new is
  // signed or delivered, so the process is not ready either.
  const signing = new Set(Object.values(config.pipelines).map((p) => p.signer));
  for (const [name, s] of Object.entries(config.signers)) {
    const { url, tls } = s as HttpPart;
    if (!signing.has(name) || typeof url !== 'string') continue;
    checks.push(run(`signer:${name}`, timeout, () => httpAnswers(url, timeout, tls)));
  }
  const results = await Promise.all(checks);
  return { ok: results.every((r) => r.ok), checks: results };
}

/** What anyone may read: each check's name and whether it passed. No errors, hosts or logins. */
export function openReport(report: ReadinessReport): {
  ok: boolean;
  checks: { name: string; ok: boolean }[];
} {
  return { ok: report.ok, checks: report.checks.map(({ name, ok }) => ({ name, ok })) };
}

/**
 * The readiness checks, run at most once per `cacheMs` however many requests arrive: requests
 * in that window get the last report, and requests while a round runs share it. /readyz is open
 * by default, so without this every request would send a HEAD to each platform and open a
 * connection to each source — a fan-out any client could drive.
 */
export function cachedReadiness(
  deps: ReadinessDeps,
  cacheMs: number,
  check: (deps: ReadinessDeps) => Promise<ReadinessReport> = checkReadiness,
): () => Promise<ReadinessReport> {
  let last: { at: number; report: ReadinessReport } | undefined;
  let running: Promise<ReadinessReport> | undefined;
  return () => {
    if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.report);
    running ??= check(deps)
      .then((report) => {
        last = { at: Date.now(), report };
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}

async function run(name: string, timeoutMs: number, check: () => Promise<void>): Promise<CheckResult> {
  const started = Date.now();
  try {
    await withTimeout(check(), timeoutMs, name);
    return { name, ok: true, ms: Date.now() - started };
  } catch (e) {
    return { name, ok: false, error: safeMessage(e), ms: Date.now() - started };
  }
}

/** The parts of a target's or signer's config an HTTP check needs (kinds without a URL have none). */
interface HttpPart {
  url?: unknown;
  tls?: TlsSettings;
}

/**
 * Any HTTP answer (even 401 or 404) means the server is up; only no answer fails. The request
 * carries the connection's own `tls:` (its CA, its client certificate), as the target's or signer's
 * requests do: checked with the public roots alone, a platform behind a government CA or asking for
 * mutual TLS never answered, and /readyz said 503 while every delivery went through.
 */
function httpAnswers(url: string, timeoutMs: number, tls: TlsSettings | undefined): Promise<void> {
  const https = new URL(url).protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'HEAD',
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
      ...(https ? nodeTlsOptions(tls) : {}),
    });
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A check's error as status shows a source's (failureMessage, core/errors.ts): a value
 * a driver quotes (a checkpoint key, a holder's name no shape masks) hidden, ID, mobile and passport
 * numbers masked, a URL's and a connection string's password dropped, the length bounded. And the
 * login a driver names, and a URL's user, which status keeps: docs/operations.md promises the body
 * without logins.
 */
function safeMessage(e: unknown): string {
  return failureMessage(e, { hideLogins: true }).message;
}
