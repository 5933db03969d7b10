/**
 * A request with a method serve does not take on /metrics, /healthz, /readyz or `/` was answered
 * 405 without `Allow`, which RFC 9110 §15.5.6 requires on a 405 (a client or proxy learns from it
 * what it may send), and a path serve does not have got 405 too, as if it existed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

let ws: DemoWorkspace;
let server: OpsServer;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const { config } = await opsConfig(
    ws,
    'methods.yaml',
    'serve: { port: 0 }\nmetrics: { lagIntervalMs: 0 }\n',
  );
  server = await startOpsServer(config, quietLogger());
});
afterAll(async () => {
  await server?.close();
  await ws?.cleanup();
});

describe('serve and methods it does not take', () => {
  it.each([
    ['POST', '/metrics'],
    ['PUT', '/healthz'],
    ['DELETE', '/readyz'],
    ['POST', '/'],
  ])('%s %s is 405 naming GET and HEAD in Allow', async (method, path) => {
    const res = await fetch(`${server.url}${path}`, { method });
    await res.arrayBuffer();
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a path serve does not have is 404 whatever the method', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${server.url}/no-such-path`, { method });
      await res.arrayBuffer();
      expect(res.status, method).toBe(404);
      expect(res.headers.get('allow'), method).toBeNull();
    }
  });
});
