/**
 * `catalog pull --out` never writes into the live catalog, as its help says: the folder the config
 * loads entries from is refused (exit 2, naming it), so a published type cannot replace a live
 * entry, or join it unreviewed, on the next run.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { licbridge } from '../support/cli.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const LIVE_CODE = '11370200MB12345674001';

let ws: DemoWorkspace;
let sim: ProvinceSimulator;
let liveText: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  liveText = await readFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8');
  const live = parse(liveText) as Record<string, unknown>;
  sim = await startProvinceSimulator({
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    catalogTypes: [{ ...live, code: LIVE_CODE, name: '食品经营许可证（省平台版）' }],
  });
  await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: sim.url }));
});
afterAll(async () => {
  await sim?.close();
  await ws?.cleanup();
});

describe('catalog pull --out and the live catalog', () => {
  it.each([['./catalog'], ['catalog/']])(
    'refuses --out %s, the live catalog, and writes nothing',
    async (out) => {
      const r = await licbridge(['catalog', 'pull', 'province', '--out', out, '--config', ws.configFile], {
        cwd: ws.dir,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `catalog pull: --out \`${out}\` is the live catalog ${join(ws.dir, 'catalog')}`,
      );
      expect(await readdir(join(ws.dir, 'catalog'))).toEqual(['food-business-license.yaml']);
      expect(await readFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8')).toBe(liveText);
    },
  );
});
