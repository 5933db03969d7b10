/**
 * `licbridge catalog pull <target>` through the command line: the province simulator publishes
 * license types at `/catalog/types` (behind its HMAC auth); the pull writes one YAML file per type
 * into `<catalog>/pulled/<target>/`, skips codes unfit for a file name, leaves the live catalog
 * alone, and `licbridge catalog check` accepts what it wrote.
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
const PULLED_CODES = ['11370200MB12345674002', '11370200MB12345674003'];

let ws: DemoWorkspace;
let sim: ProvinceSimulator;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  const live = parse(await readFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
  sim = await startProvinceSimulator({
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    catalogTypes: [
      { ...live, code: PULLED_CODES[0], name: '食品生产许可证' },
      { ...live, code: PULLED_CODES[1], name: '小餐饮经营许可证', validity: '3年' },
      // A code that would walk out of the folder as a file name.
      { ...live, code: '../../escape', name: 'bad' },
    ],
  });
  await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: sim.url }));
});
afterAll(async () => {
  await sim?.close();
  await ws?.cleanup();
});

describe('licbridge catalog pull', () => {
  const pulledDir = () => join(ws.dir, 'catalog', 'pulled', 'province');

  it('writes one file per published type into <catalog>/pulled/<target>/ and skips unusable codes', async () => {
    const r = await licbridge(['catalog', 'pull', 'province', '--config', ws.configFile, '--json'], {
      cwd: ws.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { written: string[]; skipped: string[] };
    expect(out.written.sort()).toEqual(PULLED_CODES.map((c) => join(pulledDir(), `${c}.yaml`)));
    expect(out.skipped).toEqual(['../../escape']);

    expect((await readdir(pulledDir())).sort()).toEqual(PULLED_CODES.map((c) => `${c}.yaml`));
    expect((await readdir(join(ws.dir, 'catalog'))).sort()).toEqual(['food-business-license.yaml', 'pulled']);
    const text = await readFile(join(pulledDir(), `${PULLED_CODES[1]}.yaml`), 'utf8');
    expect(text).toMatch(/^# Pulled from target `province` on /);
    expect(parse(text)).toMatchObject({ code: PULLED_CODES[1], name: '小餐饮经营许可证', validity: '3年' });
    // Authenticated like every other request: the simulator refuses unsigned ones.
    expect(sim.stats().requests).toBe(1);
  });

  it('writes files that catalog check accepts, while the live catalog stays as it was', async () => {
    const pulled = await licbridge(['catalog', 'check', pulledDir(), '--json'], { cwd: ws.dir });
    expect(pulled.stderr).toBe('');
    expect(pulled.status).toBe(0);
    const entries = (JSON.parse(pulled.stdout) as { entries: { code: string }[] }).entries;
    expect(entries.map((e) => e.code).sort()).toEqual(PULLED_CODES);

    const live = await licbridge(['catalog', 'check', '--config', ws.configFile, '--json'], { cwd: ws.dir });
    expect(live.status).toBe(0);
    expect((JSON.parse(live.stdout) as { entries: { code: string }[] }).entries.map((e) => e.code)).toEqual([
      LIVE_CODE,
    ]);
  });

  it('writes into --out instead when given, and refuses a target that is not rest-json', async () => {
    const out = join(ws.dir, 'review');
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out, '--config', ws.configFile], {
      cwd: ws.dir,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 license type(s) from province');
    expect((await readdir(out)).sort()).toEqual(PULLED_CODES.map((c) => `${c}.yaml`));

    const bad = await licbridge(['catalog', 'pull', 'nowhere', '--config', ws.configFile], { cwd: ws.dir });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('`nowhere` is not a rest-json target');
  });

  it('fails with an auth error, writing nothing, when the platform refuses the credentials', async () => {
    const wrong = join(ws.dir, 'wrong.yaml');
    await writeFile(
      wrong,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: sim.url }).replace(
        'LB_TEST_PROVINCE_SECRET:-',
        'LB_TEST_PROVINCE_SECRET_UNSET:-wrong-',
      ),
    );
    const out = join(ws.dir, 'refused');
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out, '--config', wrong], {
      cwd: ws.dir,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/credentials refused/);
    expect(r.stderr).not.toContain(DEMO_SECRET);
    await expect(readdir(out)).rejects.toThrow();
  });
});
