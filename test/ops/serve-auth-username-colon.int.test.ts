/**
 * HTTP basic credentials travel as `user:password` (RFC 7617 §2): a user name holding a colon
 * cannot be told apart from its password, so a login with it could never succeed and the
 * dashboard answered 401 to every attempt, with no hint why. serve refuses to start instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const PASSWORD = 'colon-pass-73kq';

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('serve.auth.username with a colon', () => {
  it('refuses to start, naming the setting, the colon and not the password', async () => {
    // A config file holding it is refused on load (test/config/serve-auth-check.test.ts): this is
    // a config built in code.
    const { config: loaded } = await opsConfig(
      ws,
      'colon.yaml',
      `serve: { port: 0, auth: { username: ops-team, password: ${PASSWORD} } }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const config = {
      ...loaded,
      serve: { ...loaded.serve, auth: { username: 'ops:team', password: PASSWORD } },
    };
    const started = startOpsServer(config, quietLogger());
    await expect(started).rejects.toMatchObject({ code: 'LB_CONFIG_INVALID' });
    await expect(started).rejects.toThrow(/serve\.auth\.username.*`:`/);
    await expect(started).rejects.not.toThrow(PASSWORD);
    // Started anyway: close it, or the test would leave it listening.
    await started.then((s) => s.close()).catch(() => undefined);
  });

  it('a user name without one logs in', async () => {
    const { config } = await opsConfig(
      ws,
      'plain.yaml',
      `serve: { port: 0, auth: { username: ops-team, password: ${PASSWORD} } }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const server = await startOpsServer(config, quietLogger());
    try {
      const res = await fetch(`${server.url}/dashboard/api/queues`, {
        headers: { authorization: `Basic ${Buffer.from(`ops-team:${PASSWORD}`).toString('base64')}` },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
