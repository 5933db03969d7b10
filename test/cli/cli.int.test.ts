import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge as run } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const licbridge = (args: string[]) => run(args);

describe('the licbridge command', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 120 });
  });
  afterAll(async () => ws?.cleanup());

  it('prints help', async () => {
    const r = await licbridge(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('run');
    expect(r.stdout).toContain('config');
  });

  it('run --all --json prints exactly one JSON summary on stdout', async () => {
    const r = await licbridge(['run', '--all', '--json', '--config', ws.configFile]);
    expect(r.stderr).not.toContain('Error:');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] ?? '') as {
      runs: {
        pipeline: string;
        read: number;
        created: number;
        unchanged: number;
        quarantined: number;
        signed: number;
        delivered: Record<string, number>;
      }[];
    };
    const [run] = summary.runs;
    expect(run?.pipeline).toBe('food-business-licenses');
    expect(run?.read).toBe(120);
    expect((run?.created ?? 0) + (run?.unchanged ?? 0) + (run?.quarantined ?? 0)).toBe(120);
    expect(run?.signed).toBe(run?.created);
    expect(run?.delivered.province).toBe(run?.created);
  });

  it('fails fast and says how to fix it when Redis is not reachable', async () => {
    const file = join(ws.dir, 'no-redis.yaml');
    writeFileSync(
      file,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url, redis: 'redis://127.0.0.1:1' }),
    );
    const r = await licbridge(['run', '--all', '--config', file]);
    // A hang would end in the spawn timeout with a null status; a clean failure exits 1.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('redis://127.0.0.1:1');
    expect(r.stderr).toMatch(/redis-server/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 with file:line:col for a typo, a wrong type and a missing env var', async () => {
    const file = join(ws.dir, 'bad.yaml');
    const good = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
    const bad = good
      .replace(
        'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
        'stream: { table: T_SPXK_XKZ, key: ID, cursr: GXSJ }',
      )
      .replace('pageSize: 100', 'pageSize: many')
      // A config reference, not a template literal.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: YAML text with a ${env:…} reference
      .replace('${env:LB_TEST_PROVINCE_SECRET:-test-secret-for-hmac}', '${env:LB_TEST_MISSING_SECRET}');
    writeFileSync(file, bad);
    const r = await licbridge(['config', 'check', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: .*cursr/);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: .*pageSize/);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: .*LB_TEST_MISSING_SECRET/);
  });

  it('exits 2 on malformed YAML', async () => {
    const file = join(ws.dir, 'broken.yaml');
    writeFileSync(file, 'ledger: { url: "sqlite://x.db"\nqueue: [\n');
    const r = await licbridge(['config', 'check', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it('config check passes on the demo config, and config schema prints a JSON Schema', async () => {
    const ok = await licbridge(['config', 'check', ws.configFile]);
    expect(ok.status).toBe(0);
    const schema = await licbridge(['config', 'schema']);
    expect(schema.status).toBe(0);
    const parsed = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(parsed.properties)).toEqual(
      expect.arrayContaining(['ledger', 'pipelines', 'targets']),
    );
  });
});
