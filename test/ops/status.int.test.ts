import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { licbridge, runOffline } from './ops-fixtures.js';

interface StatusJson {
  pipelines: {
    pipeline: string;
    lastRun: { state: string; read: number } | null;
    checkpoint: string | null;
    lag: { rows: number; atLeast: boolean } | null;
    awaitingSignature: number;
    targets: Record<string, { delivered: number; pending: number; dead: number }>;
  }[];
  queues: { name: string; workers: number }[];
  attention: string[];
}

describe('licbridge status', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 120 });
  });
  afterAll(async () => ws?.cleanup());

  it('reports a dead letter and exits non-zero; after a replay it exits 0', async () => {
    // The platform is unreachable and one attempt is allowed: every delivery becomes a dead letter.
    const { run } = await runOffline(ws);
    const created = run?.created ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(run?.deadLettered.province).toBe(created);

    const bad = await licbridge(['status', '--config', ws.configFile]);
    expect(bad.status).toBe(3);
    expect(bad.stdout).toContain(`target province: delivered 0, pending 0, dead letters ${created}`);
    expect(bad.stdout).toContain(
      `needs attention (1):\n  - pipeline food-business-licenses: ${created} dead letter(s)`,
    );
    const badJson = JSON.parse(
      (await licbridge(['status', '--json', '--config', ws.configFile])).stdout,
    ) as StatusJson;
    const [p] = badJson.pipelines;
    expect(p?.lastRun?.state).toBe('done');
    expect(p?.lag).toEqual({ rows: 0, atLeast: false });
    expect(p?.awaitingSignature).toBe(0);
    expect(p?.targets.province).toEqual({ delivered: 0, pending: 0, dead: created, discarded: 0 });

    // Replay, as an operator would once the platform is back, with the real command.
    const replay = await licbridge(['dlq', 'replay', '--all', '--json', '--config', ws.configFile]);
    expect(replay.status).toBe(0);
    const after = await licbridge(['status', '--config', ws.configFile]);
    expect(after.status).toBe(0);
    expect(after.stdout).toContain(`target province: delivered ${created}, pending 0, dead letters 0`);
    expect(after.stdout).toContain('all well');
    // Five CLI processes in a row: generous on a loaded machine.
  }, 180_000);

  it('exits non-zero when the source is unreachable or Redis is down', async () => {
    const file = join(ws.dir, 'broken-source.yaml');
    await writeFile(
      file,
      demoConfigYaml({
        prefix: ws.prefix,
        simulatorUrl: ws.simulator.url,
        redis: 'redis://127.0.0.1:1',
      }).replace('path: ./data/legacy.db', 'path: ./data/missing.db'),
    );
    const r = await licbridge(['status', '--json', '--timeout', '1000', '--config', file]);
    expect(r.status).toBe(3);
    const report = JSON.parse(r.stdout) as StatusJson;
    expect(report.attention.some((a) => a.startsWith('source market-food: not reachable'))).toBe(true);
    expect(report.attention.some((a) => a.startsWith('queues: Redis not reachable'))).toBe(true);
  });
});
