/**
 * A PostgreSQL ledger that goes away mid-run: `licbridge run` rides it out as it rides out a
 * Redis outage. A TCP proxy on loopback stands between licbridge and PostgreSQL; the test cuts it
 * (open connections dropped, new ones refused) while deliveries are under way, then lets it
 * through again. The run ends complete: every version signed and delivered, none twice.
 *
 * An operator may see a minute-long outage, which the default budget (`ledger.retryBudgetMs`,
 * 120 s) rides out with half to spare. The test keeps those proportions at a sixth of the time:
 * a 10 s cut under a 20 s budget. The calls meet the same retries (the backoff doubles from
 * 0.2 s and reaches its 5 s cap some 5 s into the cut, so each call waits at the cap at least
 * once), and a deliver job's lease (its requests' timeouts plus a margin, minutes for a page of
 * versions) outlasts either cut. That the default budget still leaves the minute's
 * margin is checked on the config as loaded.
 * Needs the built CLI (its own process, as in production) and PostgreSQL on 127.0.0.1:5432.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PG_URL } from '../ledger/backends.js';
import { licbridgeProcess } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
/** The outage an operator may see, and the share of the default budget it takes. */
const OPERATOR_OUTAGE_MS = 60_000;
const OUTAGE_MS = 10_000;
const BUDGET_MS = 20_000;

/** A loopback TCP proxy to PostgreSQL that can be cut and restored on the same port. */
class CuttableProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('a PostgreSQL ledger outage mid-run', () => {
  let ws: DemoWorkspace;
  const proxy = new CuttableProxy();
  const schema = `lb_outage_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 300 });
    await proxy.open();
  });
  afterAll(async () => {
    await proxy.cut();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await ws?.cleanup();
  });

  it('the default retry budget rides out a minute-long outage with the margin tested below', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    expect(config.ledger.retryBudgetMs).toBeGreaterThanOrEqual((OPERATOR_OUTAGE_MS * BUDGET_MS) / OUTAGE_MS);
  });

  it('ends with the run complete: nothing lost, nothing doubled', async () => {
    const url = new URL(PG_URL);
    url.port = String(proxy.port);
    url.searchParams.set('schema', schema);
    const file = join(ws.dir, 'pg-ledger.yaml');
    await writeFile(
      file,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
        .replace(
          'ledger: { url: "sqlite://./data/ledger.db" }',
          `ledger: { url: "${url}", retryBudgetMs: ${BUDGET_MS} }`,
        )
        .replace('    kind: rest-json\n', '    kind: rest-json\n    batchSize: 5\n    concurrency: 1\n'),
    );
    const running = licbridgeProcess(['run', '--all', '--json', '--config', file], {
      timeoutMs: 100_000,
      env: { LICBRIDGE_LOG_LEVEL: 'warn' },
    });
    // Cut while deliveries are under way.
    const end = Date.now() + 90_000;
    while (ws.simulator.stats().accepted < 20 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(ws.simulator.stats().accepted).toBeGreaterThanOrEqual(20);
    await proxy.cut();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await proxy.open();
    const r = await running;

    // On failure: what the run printed and every log line above a warning.
    const told = r.stderr.split('\n').filter((l) => !l.includes('"level":40'));
    expect(r.status, `${r.stdout}\n${told.join('\n').slice(-3000)}`).toBe(0);
    expect(r.stderr).toContain('ledger: unavailable; retrying');
    const [s] = (
      JSON.parse(r.stdout) as {
        runs: { state: string; created: number; signed: number; delivered: Record<string, number> }[];
      }
    ).runs;
    expect(s?.state).toBe('done');
    expect(s?.created).toBeGreaterThan(200);
    expect(s?.signed).toBe(s?.created);
    expect(s?.delivered.province).toBe(s?.created);
    // Each version accepted once at the platform; no license held twice.
    expect(ws.simulator.stats().accepted).toBe(s?.created);
    const held = ws.simulator.licenses();
    expect(new Set(held.map((l) => l.key)).size).toBe(held.length);

    const direct = new URL(PG_URL);
    direct.searchParams.set('schema', schema);
    const ledger = await openLedger(direct.toString());
    try {
      expect(await ledger.pipelineBacklog(PIPELINE, '3702110000001', ['province'])).toEqual({
        unsigned: 0,
        undelivered: { province: 0 },
      });
      const audit = await ledger.verifyAudit();
      expect(audit.ok, JSON.stringify(audit)).toBe(true);
      const runs = await ledger.runningRuns();
      expect(runs).toEqual([]);
    } finally {
      await ledger.close();
    }
  }, 120_000);
});
