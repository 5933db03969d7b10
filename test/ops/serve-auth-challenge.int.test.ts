/**
 * A 401 from `licbridge serve` names only the schemes that can succeed: with a token only, a Basic
 * challenge would make a browser prompt for a user name and password that no one can ever give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const PASSWORD = 'challenge-pass-29';
const TOKEN = 'challenge-bearer-token-4n7p';

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
});
afterAll(async () => {
  await ws?.cleanup();
});

/** The challenges of a 401 on the dashboard and, with `protectMetrics`, on /metrics. */
async function challengesFor(name: string, auth: string): Promise<(string | null)[]> {
  const { config } = await opsConfig(
    ws,
    name,
    `serve: { port: 0, protectMetrics: true, auth: ${auth} }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  const server = await startOpsServer(config, quietLogger());
  try {
    const found: (string | null)[] = [];
    for (const path of ['/dashboard', '/dashboard/api/queues', '/metrics', '/readyz']) {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      expect(res.status, path).toBe(401);
      found.push(res.headers.get('www-authenticate'));
    }
    return found;
  } finally {
    await server.close();
  }
}

describe('serve: the 401 challenge', () => {
  it('is Bearer when only a token is configured, so a browser does not ask for a login', async () => {
    for (const header of await challengesFor('token-only.yaml', `{ token: ${TOKEN} }`)) {
      expect(header).toBe('Bearer realm="licbridge"');
    }
  });

  it('is Basic when only a user name and password are configured', async () => {
    for (const header of await challengesFor('basic-only.yaml', `{ username: ops, password: ${PASSWORD} }`)) {
      expect(header).toBe('Basic realm="licbridge", charset="UTF-8"');
    }
  });

  it('names both when both are configured', async () => {
    const headers = await challengesFor(
      'both.yaml',
      `{ username: ops, password: ${PASSWORD}, token: ${TOKEN} }`,
    );
    for (const header of headers) {
      expect(header).toBe('Basic realm="licbridge", charset="UTF-8", Bearer realm="licbridge"');
    }
  });
});
