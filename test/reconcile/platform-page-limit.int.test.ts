/**
 * A province whose listing gives fewer licenses a page than licbridge asks (its own page limit is
 * lower) made every license after its first page look missing at the platform: the listing ended
 * at the first page shorter than asked, and a repair would have re-sent them all. Through a
 * platform that gives at most 7 entries a page (licbridge asks 500), the check finds the province
 * holding every license the ledger does, and nothing missing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const PAGE_LIMIT = 7;
const logger = createLogger({ level: 'silent' });

/** The simulator behind a front that cuts every listing page to `limit` entries. */
async function startCappingFront(upstream: string, limit: number) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => k !== 'host' && typeof v === 'string'),
      ) as Record<string, string>;
      const body = Buffer.concat(chunks);
      const answer = await fetch(`${upstream}${req.url ?? ''}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      let text = await answer.text();
      if ((req.url ?? '').startsWith('/licenses/current')) {
        const doc = JSON.parse(text) as { items?: unknown[] };
        text = JSON.stringify({ ...doc, items: (doc.items ?? []).slice(0, limit) });
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('reconcile with a platform whose page limit is below the one asked', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  let front: Awaited<ReturnType<typeof startCappingFront>>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 11 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    front = await startCappingFront(ws.simulator.url, PAGE_LIMIT);
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(join(ws.dir, 'capped.yaml'), yaml.replace(ws.simulator.url, front.url));
  }, 120_000);
  afterAll(async () => {
    await front?.close();
    await ws?.cleanup();
  });

  it('lists every license the province holds and reports none missing', async () => {
    const config = await loadConfig({ file: join(ws.dir, 'capped.yaml'), env: {} });
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });
      const province = report.counts.targets.province;
      expect(province && 'total' in province ? province.total : undefined).toBe(report.counts.ledger.total);
      expect(report.counts.ledger.total).toBeGreaterThan(3 * PAGE_LIMIT);
      expect(report.byKind['missing-at-platform']).toBe(0);
      expect(report.byKind['unknown-at-platform']).toBe(0);
      expect(report.differences).toBe(0);
    } finally {
      await rt.close();
    }
  });
});
