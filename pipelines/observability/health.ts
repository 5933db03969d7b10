import { Redis } from 'ioredis';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import { redisOptionsFromUrl } from '../redis.js';
import { withTimeout } from './timeout.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed; never holds credentials (URLs are shown without passwords). */
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
  redis: Redis;
  ledger: Ledger;
  source(name: string): Promise<SourceConnector>;
}

/** A Redis client for health checks: fails fast while Redis is down, reconnects when it returns. */
export function healthRedis(url: string, timeoutMs: number): Redis {
  const client = new Redis({
    ...redisOptionsFromUrl(url),
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
 * (unless `serve.checkSources` is off) and every target's host accepts an HTTP request. Each
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
    const url = (t as { url?: unknown }).url;
    if (typeof url !== 'string') continue;
    checks.push(run(`target:${name}`, timeout, () => httpAnswers(url, timeout)));
  }
  const results = await Promise.all(checks);
  return { ok: results.every((r) => r.ok), checks: results };
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

/** Any HTTP answer (even 401 or 404) means the platform is up; only no answer fails. */
async function httpAnswers(url: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'HEAD',
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  await res.body?.cancel();
}

/** Drops anything URL-shaped with credentials from a driver's message. */
function safeMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\/\/[^/@\s]+@/g, '//***@').slice(0, 300);
}
