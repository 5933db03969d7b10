/**
 * When `licbridge serve` fails to answer a request, its log line names the path, never the query
 * string: a client may have put a token or an ID number there, and log lines travel far.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { opsConfig } from './ops-fixtures.js';

const SECRET = 'query-secret-8f3k2';
const ID_NUMBER = '11010519491231002X';

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await ws?.cleanup();
});

describe('serve: the "request failed" log line', () => {
  it('records the path without its query', async () => {
    const { logger, lines } = lineLogger();
    const { config } = await opsConfig(
      ws,
      'error-log.yaml',
      'serve: { port: 0 }\nmetrics: { lagIntervalMs: 0 }\n',
    );
    const server = await startOpsServer(config, logger);
    // A scrape that fails inside the server: the registry cannot render.
    const render = vi.spyOn(Registry.prototype, 'metrics').mockRejectedValue(new Error('registry broke'));
    try {
      for (const target of [
        `/metrics?token=${SECRET}&holder=${ID_NUMBER}`,
        `/./metrics?holder=${ID_NUMBER}`,
      ]) {
        const res = await fetch(`${server.url}${target}`);
        await res.arrayBuffer();
        expect(res.status, target).toBe(500);
      }
    } finally {
      render.mockRestore();
      await server.close();
    }
    const failed = lines
      .map((l) => JSON.parse(l) as { msg?: string; path?: unknown })
      .filter((l) => l.msg === 'serve: request failed');
    expect(failed.map((l) => l.path)).toEqual(['/metrics', '/metrics']);
    const text = lines.join('\n');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('holder=');
  });
});
