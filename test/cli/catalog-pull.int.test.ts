/**
 * `licbridge catalog pull <target>` through the command line: the province simulator publishes
 * license types at `/catalog/types` (behind its HMAC auth); the pull writes one YAML file per type
 * into `<catalog>/pulled/<target>/`, skips codes unfit for a file name, leaves the live catalog
 * alone, and `licbridge catalog check` accepts what it wrote.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { licbridge } from '../support/cli.js';
import { DEMO_SECRET, demoConfigYaml } from '../support/demo-workspace.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const LIVE_CODE = '11370200MB12345674001';
const PULLED_CODES = ['11370200MB12345674002', '11370200MB12345674003'];

const pull = usePullWorkspace((live) => [
  { ...live, code: PULLED_CODES[0], name: '食品生产许可证' },
  { ...live, code: PULLED_CODES[1], name: '小餐饮经营许可证', validity: '3年' },
  // A code that would walk out of the folder as a file name.
  { ...live, code: '../../escape', name: 'bad' },
]);

describe('licbridge catalog pull', () => {
  const pulledDir = () => join(pull.ws.dir, 'catalog', 'pulled', 'province');

  it('writes one file per published type into <catalog>/pulled/<target>/ and skips unusable codes', async () => {
    const r = await licbridge(['catalog', 'pull', 'province', '--config', pull.ws.configFile, '--json'], {
      cwd: pull.ws.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { written: string[]; skipped: string[] };
    expect(out.written.sort()).toEqual(PULLED_CODES.map((c) => join(pulledDir(), `${c}.yaml`)));
    expect(out.skipped).toEqual(['../../escape']);

    expect((await readdir(pulledDir())).sort()).toEqual(PULLED_CODES.map((c) => `${c}.yaml`));
    expect((await readdir(join(pull.ws.dir, 'catalog'))).sort()).toEqual([
      'food-business-license.yaml',
      'pulled',
    ]);
    const text = await readFile(join(pulledDir(), `${PULLED_CODES[1]}.yaml`), 'utf8');
    expect(text).toMatch(/^# Pulled from target `province` on /);
    expect(parse(text)).toMatchObject({ code: PULLED_CODES[1], name: '小餐饮经营许可证', validity: '3年' });
    // Authenticated like every other request: the simulator refuses unsigned ones.
    expect(pull.sim.stats().requests).toBe(1);
  });

  it('writes files that catalog check accepts, while the live catalog stays as it was', async () => {
    const pulled = await licbridge(['catalog', 'check', pulledDir(), '--json'], { cwd: pull.ws.dir });
    expect(pulled.stderr).toBe('');
    expect(pulled.status).toBe(0);
    const entries = (JSON.parse(pulled.stdout) as { entries: { code: string }[] }).entries;
    expect(entries.map((e) => e.code).sort()).toEqual(PULLED_CODES);

    const live = await licbridge(['catalog', 'check', '--config', pull.ws.configFile, '--json'], {
      cwd: pull.ws.dir,
    });
    expect(live.status).toBe(0);
    expect((JSON.parse(live.stdout) as { entries: { code: string }[] }).entries.map((e) => e.code)).toEqual([
      LIVE_CODE,
    ]);
  });

  it('writes into --out instead when given, and refuses a target that is not rest-json', async () => {
    const out = join(pull.ws.dir, 'review');
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out, '--config', pull.ws.configFile], {
      cwd: pull.ws.dir,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 license type(s) from province');
    expect((await readdir(out)).sort()).toEqual(PULLED_CODES.map((c) => `${c}.yaml`));

    const bad = await licbridge(['catalog', 'pull', 'nowhere', '--config', pull.ws.configFile], {
      cwd: pull.ws.dir,
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('`nowhere` is not a rest-json target');
  });

  it('fails with an auth error, writing nothing, when the platform refuses the credentials', async () => {
    const wrong = join(pull.ws.dir, 'wrong.yaml');
    await writeFile(
      wrong,
      demoConfigYaml({ prefix: pull.ws.prefix, simulatorUrl: pull.sim.url }).replace(
        'LB_TEST_PROVINCE_SECRET:-',
        'LB_TEST_PROVINCE_SECRET_UNSET:-wrong-',
      ),
    );
    const out = join(pull.ws.dir, 'refused');
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out, '--config', wrong], {
      cwd: pull.ws.dir,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/credentials refused/);
    expect(r.stderr).not.toContain(DEMO_SECRET);
    await expect(readdir(out)).rejects.toThrow();
  });
});
