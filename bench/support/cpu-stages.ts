/**
 * CPU time of the main thread by stage, from a sampling profile taken in process (the same data
 * `node --cpu-prof` writes). Each sample goes to the deepest frame of licbridge's own code on its
 * stack (the function that asked for the work), else to the package the leaf frame belongs to
 * (a driver parsing a reply, a socket callback), so a driver's time counts for the stage that
 * uses it. Worker threads (the SM2 pool) are not sampled: their time is the process's CPU time
 * minus what the main thread used.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Stage of a licbridge source file, by folder; undefined for frames outside licbridge. */
function ownStage(url: string): string | undefined {
  const m = /\/(dist-bench|dist)\/(.+)$/.exec(url);
  if (!m || url.includes('/node_modules/')) return undefined;
  const path = m[2] ?? '';
  // The SQL counters wrap the drivers' calls: transparent, the caller's stage counts.
  if (path.startsWith('bench/support/')) return undefined;
  if (path.startsWith('bench/')) return 'bench (progress polling)';
  if (path.startsWith('connectors/')) return 'extract: read';
  if (path.startsWith('mappings/') || path.startsWith('catalog/')) return 'extract: map + validate';
  if (path.startsWith('pipelines/stages/extract')) return 'extract: map + validate';
  if (path.startsWith('ledger/audit')) return 'ledger: audit chain';
  if (path.startsWith('ledger/')) return 'ledger';
  if (path.startsWith('adapters/signers') || path.startsWith('pipelines/stages/sign'))
    return 'sign (main thread)';
  if (path.startsWith('adapters/platforms') || path.startsWith('pipelines/stages/deliver')) return 'deliver';
  if (path.startsWith('pipelines/run-pipelines') || path.startsWith('pipelines/sweep'))
    return 'run: progress + sweep';
  if (path.startsWith('pipelines/')) return 'queue';
  return 'other';
}

/** Stage of a frame outside licbridge, by package or runtime part. */
function foreignStage(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'other';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    if (['knex', 'better-sqlite3', 'pg', 'pg-protocol', 'pg-pool', 'tarn'].includes(pkg)) return 'ledger';
    if (['bullmq', 'ioredis', 'msgpackr', 'cron-parser', 'uuid'].includes(pkg)) return 'queue';
    if (['axios', 'follow-redirects', 'form-data', 'proxy-from-env'].includes(pkg)) return 'deliver';
    if (pkg === 'pino' || pkg.startsWith('pino-')) return 'logging';
    return 'other';
  }
  if (url.startsWith('node:') || url === '') return 'node (I/O, timers, json)';
  return 'other';
}

export interface StageCpu {
  /** Main-thread CPU per stage, ms. */
  stages: Record<string, number>;
  /** Sampled wall time of the main thread, ms (busy + idle). */
  sampledMs: number;
}

export class StageProfiler {
  readonly #session = new Session();

  async start(intervalUs = 2000): Promise<void> {
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.#session.post('Profiler.start');
  }

  /** Stops and attributes the samples; with `file`, also writes the raw `.cpuprofile`. */
  async stop(file?: string): Promise<StageCpu> {
    const { profile } = (await this.#session.post('Profiler.stop')) as unknown as { profile: Profile };
    await this.#session.post('Profiler.disable');
    this.#session.disconnect();
    if (file) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
    }
    return attribute(profile);
  }
}

function attribute(profile: Profile): StageCpu {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const leaf = byId.get(id);
    let stage: string | undefined;
    // Deepest own frame: walk from the leaf towards the root.
    for (let cur: number | undefined = id; cur !== undefined && !stage; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) stage = ownStage(node.callFrame.url);
    }
    // Else the deepest frame of a package (a driver's native call reached through its JS), else the leaf.
    for (let cur: number | undefined = id; cur !== undefined && !stage; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node?.callFrame.url.includes('/node_modules/')) stage = foreignStage(node.callFrame);
    }
    stage ??= leaf ? foreignStage(leaf.callFrame) : 'other';
    if (leaf && ['(idle)', '(garbage collector)'].includes(leaf.callFrame.functionName)) {
      stage = foreignStage(leaf.callFrame);
    }
    stageOf.set(id, stage);
    return stage;
  };
  const stages: Record<string, number> = {};
  let sampledMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    sampledMs += ms;
    const s = resolve(id);
    stages[s] = (stages[s] ?? 0) + ms;
  });
  return { stages, sampledMs };
}
