/**
 * Where a repair's re-delivery meets a duplicate answer is tested: a demo workspace (40 rows unless
 * told) whose food-business pipeline has run once, its valid licenses, and the moves the tests make
 * on it — run the pipeline again, edit what the province simulator holds, roll a license back on
 * the platform, and make a check, its plan and the plan applied with the platform adapter patched.
 * Made once for the enclosing `describe` and removed after it.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SimulatorEntry as Entry, editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

export interface ValidLicense {
  licenseId: string;
  sourceKey: string;
}

export interface RepairDuplicateWorkspace {
  readonly ws: DemoWorkspace;
  /** The workspace's config, loaded. */
  readonly config: Readonly<Config>;
  /** The province simulator, started again by each `editPlatform`. */
  readonly sim: ProvinceSimulator;
  /** The licenses valid after the first run. */
  readonly licenses: readonly ValidLicense[];
  /** Runs the pipeline once more; it must end `done`. */
  run(): Promise<void>;
  /** Stops the simulator, edits what it holds, starts it again on the same port. */
  editPlatform(edit: (entries: Entry[]) => Entry[]): Promise<void>;
  /**
   * Changes the license's address in the source to `address` and runs, so version 2 is delivered;
   * then the platform shows version 1 again, yet remembers accepting the key of version 2.
   * Returns that key.
   */
  rollBackOnPlatform(license: ValidLicense, address: string): Promise<string>;
  /** A check, its plan and the plan applied, with the platform adapter changed by `patch` first. */
  repair(patch: (adapter: TargetAdapter) => void): Promise<RepairOutcome>;
}

export interface RepairOutcome {
  report: Awaited<ReturnType<typeof reconcilePipeline>>;
  plan: ReturnType<typeof planRepairs>;
  applied: Awaited<ReturnType<typeof applyRepairs>>;
  after: Awaited<ReturnType<typeof reconcilePipeline>>;
  found: Awaited<ReturnType<Awaited<ReturnType<Runtime['ledger']>>['repairDuplicates']['find']>>;
}

/** The demo workspace's `rows` and `seed`; 40 rows of seed 37 when not given. */
export function useRepairDuplicateWorkspace({ rows = 40, seed = 37 } = {}): RepairDuplicateWorkspace {
  let ws: DemoWorkspace | undefined;
  let config: Readonly<Config> | undefined;
  let sim: ProvinceSimulator | undefined;
  let licenses: ValidLicense[] = [];
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('repair duplicate workspace: used before its beforeAll ran');
    return value;
  };

  const run = async () => {
    const [s] = await runPipelines(made(config), { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };
  const editPlatform = async (edit: (entries: Entry[]) => Entry[]) => {
    sim = await editSimulator(made(sim), made(ws).dir, (state) => {
      state.entries = edit(state.entries);
    });
  };
  const rollBackOnPlatform = async (license: ValidLicense, address: string) => {
    const db = new Database(made(ws).legacyDb);
    db.prepare(`UPDATE ${TABLE} SET JYCS = ?, GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`).run(
      address,
      license.sourceKey,
    );
    db.close();
    await run();
    const latestKey = `${license.licenseId}:2:province`;
    await editPlatform((entries) => {
      const v1 = entries.find((e) => e.licenseId === license.licenseId && e.version === 1);
      const v2 = entries.find((e) => e.key === latestKey);
      if (!v1 || !v2) throw new Error('the platform does not hold both versions');
      v2.version = 1;
      v2.license = v1.license;
      return entries.filter((e) => e !== v1);
    });
    return latestKey;
  };
  const repair = async (patch: (adapter: TargetAdapter) => void): Promise<RepairOutcome> => {
    const rt = new Runtime(made(config), logger);
    try {
      patch(await rt.target('province'));
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const found = await (await rt.ledger()).repairDuplicates.find(applied.redeliveredKeys);
      return { report, plan, applied, after, found };
    } finally {
      await rt.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows, seed });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    await run();
    const rt = new Runtime(config, logger);
    try {
      licenses = (await (await rt.ledger()).pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
    } finally {
      await rt.close();
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  return {
    get ws() {
      return made(ws);
    },
    get config() {
      return made(config);
    },
    get sim() {
      return made(sim);
    },
    get licenses() {
      return licenses;
    },
    run,
    editPlatform,
    rollBackOnPlatform,
    repair,
  };
}
