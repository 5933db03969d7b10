/**
 * `licbridge serve` bound beyond loopback (`--host 0.0.0.0`, a LAN address) speaks plain HTTP to
 * whoever reaches the port: the dashboard's login and every answer travel unencrypted, and without
 * `serve.protectMetrics` /metrics, /healthz and /readyz answer anyone. It starts (a firewall or a
 * TLS proxy may stand in front) and says so once in its log; on loopback it says nothing.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig } from './ops-fixtures.js';

const PASSWORD = 'bind-warning-pass-41';
const TOKEN = 'bind-warning-metrics-token-7';

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
});
afterAll(async () => {
  await ws?.cleanup();
});

/** The warnings `serve` logs while it starts on `host` with `extra` in `serve:`, then stops. */
async function startWarnings(host: string, extra: string): Promise<string[]> {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  const { config } = await opsConfig(
    ws,
    `bind-${host.replace(/\W/g, '')}.yaml`,
    `serve: { port: 0, auth: { username: ops, password: ${PASSWORD} }${extra} }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  const server = await startOpsServer(config, logger, { host });
  await server.close();
  return lines
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level === 40 && l.msg.startsWith('serve: listening'))
    .map((l) => l.msg);
}

describe('serve bound beyond loopback', () => {
  it('warns once that it speaks plain HTTP and that /metrics, /healthz and /readyz are open', async () => {
    const warned = await startWarnings('0.0.0.0', '');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('plain HTTP');
    expect(warned[0]).toContain('/metrics, /healthz and /readyz answer anyone');
    expect(warned[0]).toContain('serve.protectMetrics');
    expect(warned[0]).not.toContain(PASSWORD);
  });

  it('with protectMetrics, warns of plain HTTP only', async () => {
    const warned = await startWarnings('0.0.0.0', `, protectMetrics: true, metricsAuth: { token: ${TOKEN} }`);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('plain HTTP');
    expect(warned[0]).not.toContain('answer anyone');
    expect(warned[0]).not.toContain(TOKEN);
  });

  it('on loopback, warns of nothing', async () => {
    expect(await startWarnings('127.0.0.1', '')).toEqual([]);
  });
});
