/**
 * `licbridge catalog pull` logs through the config's `log` settings. With the queue's Redis out of
 * reach, a pull whose target takes OAuth2 tokens warns that the shared token store cannot be
 * reached; the command handed the pull no logger, so that warning went to the process's root
 * logger, which reads neither `log.level` nor `log.format` from the config. A config asking for
 * errors only still printed it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const CLIENT = { clientId: 'district-a', clientSecret: 'cs-7d1f9a2c' };

let ws: DemoWorkspace;
let sim: ProvinceSimulator;
let configFile: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  sim = await startProvinceSimulator({
    oauth2: CLIENT,
    catalogTypes: [{ code: '11370200MB12345674002', name: '食品生产许可证' }],
  });
  const base = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: sim.url, redis: 'redis://127.0.0.1:1' })
    .replace('log: { level: warn }', 'log: { level: error }')
    .replace(
      /auth: \{ scheme: hmac[^\n]*\}/,
      `auth: { scheme: oauth2, tokenUrl: "${sim.url}/oauth/token", clientId: ${CLIENT.clientId}, ` +
        `clientSecret: "\${env:LB_TEST_PULL_CLIENT_SECRET}" }`,
    );
  expect(base).toContain('scheme: oauth2');
  configFile = join(ws.dir, 'pull-log.yaml');
  await writeFile(configFile, base);
});

afterAll(async () => {
  await sim?.close();
  await ws?.cleanup();
});

describe('catalog pull and the config’s log level', () => {
  it('keeps a warning out of stderr when the config asks for errors only', async () => {
    const r = await licbridge(['catalog', 'pull', 'province', '--config', configFile, '--json'], {
      cwd: ws.dir,
      env: { LB_TEST_PULL_CLIENT_SECRET: CLIENT.clientSecret },
    });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { written: string[] }).written).toHaveLength(1);
    expect(r.stderr).toBe('');
  });
});
