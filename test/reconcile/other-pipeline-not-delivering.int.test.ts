/**
 * Two pipelines of the config issue the same license type for the same issuer, and one of them no
 * longer delivers to a platform that still holds its licenses (its `targets` changed since it
 * delivered there). The platform check of the other pipeline left those licenses to "that
 * pipeline's check" — which compares only its own targets, so no check ever compared them there:
 * the platform could keep them in force after licbridge revoked them, and every check agreed.
 * Like licenses held under a pipeline no longer in the config, they are compared by no check and
 * are reported (`outsideConfig`), only flagged by a repair.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const OLD = 'food-business-licenses';
const NEW = 'food-licenses';

describe('a pipeline of the config that no longer delivers to a platform holding its licenses', () => {
  let ws: DemoWorkspace;
  let oldIds: string[] = [];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 53 });
    const before = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(before, { pipelines: [OLD], full: false, logger });
    expect(s?.state).toBe('done');
    oldIds = [...new Set(ws.simulator.licenses().map((e) => e.licenseId))];
    expect(oldIds.length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('reports its licenses the platform holds: no check compares them there', async () => {
    // OLD now delivers to the city only; NEW, of the same type and issuer, to the province.
    const yaml = await readFile(ws.configFile, 'utf8');
    const block = /\n {2}food-business-licenses:\n(?: {4}.*\n)+/.exec(yaml)?.[0];
    const province = /\n {2}province:\n(?: {4}.*\n)+/.exec(yaml)?.[0];
    if (!block || !province) throw new Error('no pipeline or target block');
    const city = province.replace('province:', 'city:').replace(/url: ".*"/, 'url: "http://127.0.0.1:9"');
    // A repair set to adopt and revoke the platform's unknown licenses: these it only flags.
    await writeFile(
      ws.configFile,
      `${yaml.replace(block, `${block.replace('targets: [province]', 'targets: [city]')}${block.replace(OLD, NEW)}`)}${city.slice(1)}reconcile: { unknownAtPlatform: revoke }\n`,
    );
    const config = await loadConfig({ file: ws.configFile, env: {} });
    expect(config.pipelines[OLD]?.targets).toEqual(['city']);
    expect(config.reconcile.unknownAtPlatform).toBe('revoke');
    const [s] = await runPipelines(config, { pipelines: [NEW], full: false, logger });
    expect(s?.state).toBe('done');
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: NEW, store: false });
      const unknown = report.all.filter((d) => d.kind === 'unknown-at-platform');
      expect(unknown.map((d) => d.licenseId).sort()).toEqual([...oldIds].sort());
      expect(unknown.every((d) => d.outsideConfig === true && d.target === 'province')).toBe(true);
      // Only flagged: licbridge holds them, under a pipeline whose check does not look there.
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(0);
      expect(plan.byAction.flag).toBe(oldIds.length);
    } finally {
      await rt.close();
    }
  }, 120_000);
});

/**
 * Two targets of the config name one platform (same kind and URL: another OAuth scope, a renamed
 * target, a pipeline moved to a new entry). A pipeline delivering to either delivers there, and its
 * own check compares all its licenses at that platform: the other's check leaves them to it.
 */
describe('pipelines delivering to one platform under two target names', () => {
  let ws: DemoWorkspace;
  let config: Awaited<ReturnType<typeof loadConfig>>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 59 });
    const yaml = await readFile(ws.configFile, 'utf8');
    const block = /\n {2}food-business-licenses:\n(?: {4}.*\n)+/.exec(yaml)?.[0];
    const province = /\n {2}province:\n(?: {4}.*\n)+/.exec(yaml)?.[0];
    if (!block || !province) throw new Error('no pipeline or target block');
    // The same URL, spelt with a trailing slash.
    const second = province
      .replace('province:', 'province-b:')
      .replace(/url: "http:\/\/127\.0\.0\.1:(\d+)"/, 'url: "http://127.0.0.1:$1/"');
    expect(second).not.toBe(province.replace('province:', 'province-b:'));
    await writeFile(
      ws.configFile,
      `${yaml.replace(block, `${block}${block.replace(OLD, NEW).replace('targets: [province]', 'targets: [province-b]')}`)}${second.slice(1)}`,
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    expect(config.pipelines[NEW]?.targets).toEqual(['province-b']);
    for (const p of [OLD, NEW]) {
      const [s] = await runPipelines(config, { pipelines: [p], full: false, logger });
      expect(s?.state).toBe('done');
    }
    const ids = [...new Set(ws.simulator.licenses().map((e) => e.licenseId))];
    expect(ids.length).toBe(24);
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it.each([
    [OLD, 'province'],
    [NEW, 'province-b'],
  ])(
    'the check of %s at %s leaves the other pipeline’s licenses to its check',
    async (pipeline, target) => {
      const rt = new Runtime(config, logger);
      try {
        const report = await reconcilePipeline(rt, { pipeline, store: false });
        const unknown = report.all.filter((d) => d.kind === 'unknown-at-platform');
        expect(unknown.length).toBe(0);
        expect(report.all).toEqual([]);
        expect(report.counts.targets[target]).toMatchObject({ total: 12 });
      } finally {
        await rt.close();
      }
    },
    120_000,
  );
});
