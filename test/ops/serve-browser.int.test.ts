/**
 * `licbridge serve` as a browser meets it: every answer says how it may be used (no sniffing,
 * no framing, a content policy), the dashboard works under its policy in a real headless
 * Chromium, another site cannot frame it, and job values that look like markup stay text.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const USER = 'ops';
const PASSWORD = 'browser-pass-73';
const BASIC = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
/** A value from data that would run if it reached the page as markup. */
const PAYLOAD = '<img src=x onerror="window.__injected=1">';

let ws: DemoWorkspace;
let server: OpsServer;
let browser: Browser;
let other: Server;
let otherUrl = '';

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
  ws = await createDemoWorkspace({ rows: 5 });
  const file = join(ws.dir, 'serve-browser.yaml');
  await writeFile(
    file,
    `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: { port: 0, auth: { username: ${USER}, password: ${PASSWORD} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(await loadConfig({ file }), createLogger({ level: 'silent' }));
  browser = await launchChromium();
  // Another origin (another port) whose page frames the dashboard.
  other = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>other site</title><iframe src="${server.url}/dashboard"></iframe>`);
  });
  other.listen(0, '127.0.0.1');
  await once(other, 'listening');
  otherUrl = `http://localhost:${(other.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  other?.close();
  await server?.close();
  await ws?.cleanup();
});

describe('licbridge serve in a browser', () => {
  it('sends nosniff, no-framing and a content policy on every answer, and no-store on the dashboard', async () => {
    const answers = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/metrics`),
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/nowhere`),
      await fetch(`${server.url}/dashboard`),
      await fetch(`${server.url}/dashboard`, { headers: BASIC }),
      await fetch(`${server.url}/dashboard/api/queues`, { headers: BASIC }),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    const [page, api] = answers.slice(-2);
    const csp = page?.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(/script-src[^;]*unsafe/.test(csp)).toBe(false);
    expect(page?.headers.get('cache-control')).toBe('no-store');
    expect(api?.headers.get('cache-control')).toBe('no-store');
  });

  it('renders the dashboard under its policy with no script refused', async () => {
    const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      await page.exposeFunction('__refused', (d: string) => refused.push(d));
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => window.__refused(e.effectiveDirective + ' ' + e.blockedURI))",
      );
      await page.goto(`${server.url}/dashboard`);
      await page.getByText('extract', { exact: false }).first().waitFor({ timeout: 20_000 });
      // Only the Internet fonts the board's page links are refused; its own scripts all run.
      expect(
        refused.filter(
          (r) => !/^(style|font)-src(-elem)? https:\/\/fonts\.(googleapis|gstatic)\.com/.test(r),
        ),
      ).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("is not shown inside another site's page, even when the browser holds the credentials", async () => {
    // As behind a reverse proxy that adds the login to every request from a signed-in browser:
    // the framed dashboard would load, and a click on the other site could land on its buttons.
    const context = await browser.newContext({ extraHTTPHeaders: BASIC });
    try {
      const page = await context.newPage();
      await page.goto(otherUrl);
      await page.waitForLoadState('load');
      const framed = page.frames().filter((f) => f !== page.mainFrame());
      expect(framed.length).toBe(1);
      const text = await framed[0]?.evaluate('document.body ? document.body.innerText : ""').catch(() => '');
      const title = await framed[0]?.evaluate('document.title').catch(() => '');
      expect(String(title)).not.toBe('licbridge queues');
      expect(String(text)).not.toContain('Loading');
    } finally {
      await context.close();
    }
  });

  it('shows a job whose name and data look like markup as text, and runs none of it', async () => {
    const queue = new Queue('extract', { connection: { host: '127.0.0.1', port: 6379 }, prefix: ws.prefix });
    try {
      await queue.pause();
      await queue.add(PAYLOAD, { pipeline: PAYLOAD, runId: PAYLOAD, full: false });
      const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/dashboard/queue/extract?status=waiting`);
        await page.getByText(PAYLOAD).first().waitFor({ timeout: 20_000 });
        expect(await page.evaluate('window.__injected')).toBeUndefined();
        expect(await page.locator('img[src="x"]').count()).toBe(0);
      } finally {
        await context.close();
      }
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
