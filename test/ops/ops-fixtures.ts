import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { openConfigLedger } from '../../pipelines/config-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import type { Backend, TestDatabase } from '../ledger/backends.js';
import { BIN, type CliResult, ROOT, licbridge as run } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

export { BIN, ROOT };

/** Writes a variant of the workspace's config with extra top-level YAML and loads it. */
export async function opsConfig(
  ws: DemoWorkspace,
  name: string,
  extra: string,
  redis?: string,
): Promise<{ file: string; config: Readonly<Config> }> {
  const file = join(ws.dir, name);
  const base = demoConfigYaml({
    prefix: ws.prefix,
    simulatorUrl: ws.simulator.url,
    ...(redis ? { redis } : {}),
  });
  await writeFile(file, `${base}${extra}`);
  return { file, config: await loadConfig({ file }) };
}

export function quietLogger(): Logger {
  return createLogger({ level: 'silent' });
}

/** Runs the built command; resolves with its exit status and output. */
export function licbridge(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return run(args, { env, cwd });
}

/** What `licbridge run --json` says of one run. */
export interface RunJson {
  runId: string;
  created: number;
  deadLettered: Record<string, number>;
}

/**
 * Runs every pipeline of `ws` under `offline.yaml`, its config with a platform nothing answers and
 * one attempt a delivery: every delivery becomes a dead letter. That file, and what the run said.
 */
export async function runOffline(ws: DemoWorkspace): Promise<{ offline: string; run: RunJson | undefined }> {
  const offline = join(ws.dir, 'offline.yaml');
  await writeFile(
    offline,
    demoConfigYaml({ prefix: ws.prefix, simulatorUrl: 'http://127.0.0.1:1' }).replace(
      '    kind: rest-json\n',
      '    kind: rest-json\n    attempts: 1\n',
    ),
  );
  const result = await licbridge(['run', '--all', '--json', '--config', offline]);
  return { offline, run: (JSON.parse(result.stdout) as { runs: RunJson[] }).runs[0] };
}

/** Value of one series in Prometheus text, or undefined when absent. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const body = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

/** What {@link metricsSetUp} opens for the calling `describe` block's tests. */
export interface MetricsSetUp {
  ws: DemoWorkspace;
  config: Readonly<Config>;
  /** The config's ledger, or one on `database` when a backend was given. */
  ledger: Ledger;
  database?: TestDatabase;
  /** The config's queues on its Redis, one per target. */
  queues: QueueSet;
  /**
   * The text of one scrape of /metrics by a `serve` started afresh: a registry of its own, as a
   * registry keeps its snapshot for `metrics.cacheMs`.
   */
  scrapeAfresh(): Promise<string>;
}

/**
 * A demo workspace of `rows` rows, its config (as `configure` changes it), a ledger and the queues,
 * opened before the calling `describe` block's tests and closed after them: the setting of a
 * scrape of /metrics. The ledger is the config's, or a fresh database on `backend`. Read the fields
 * inside the tests and hooks, once `beforeAll` has run. Needs Redis.
 */
export function metricsSetUp(
  options: { rows?: number; configure?: (c: Readonly<Config>) => Readonly<Config>; backend?: Backend } = {},
): MetricsSetUp {
  const t = {} as MetricsSetUp;
  t.scrapeAfresh = () =>
    createMetrics({
      config: t.config,
      ledger: t.ledger,
      queues: t.queues,
      logger: quietLogger(),
    }).registry.metrics();
  beforeAll(async () => {
    t.ws = await createDemoWorkspace({ rows: options.rows ?? 10 });
    const loaded = await loadConfig({ file: t.ws.configFile });
    t.config = options.configure?.(loaded) ?? loaded;
    if (options.backend) {
      t.database = await options.backend.create();
      t.ledger = await openLedger(t.database.url, { logger: quietLogger() });
    } else {
      t.ledger = await openConfigLedger(t.config, { logger: quietLogger() });
    }
    t.queues = createQueues(
      queueConnection(t.config.queue.redis),
      t.config.queue.prefix,
      Object.keys(t.config.targets),
    );
  });
  afterAll(async () => {
    await t.queues?.close();
    await t.ledger?.close();
    await t.database?.dispose();
    await t.ws?.cleanup();
  });
  return t;
}

/** The config with every scrape reading afresh (`cacheMs` 0) and no lag probe (`lagIntervalMs` 0). */
export function everyScrapeFresh(config: Readonly<Config>): Readonly<Config> {
  return { ...config, metrics: { ...config.metrics, cacheMs: 0, lagIntervalMs: 0 } };
}
