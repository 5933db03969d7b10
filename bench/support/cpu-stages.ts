/**
 * CPU time of the main thread by stage, from a sampling profile taken in process (the same data
 * `node --cpu-prof` writes). Each sample goes to the deepest frame of licbridge's own code on its
 * stack (the function that asked for the work), else to the package the leaf frame belongs to
 * (a driver parsing a reply, a socket callback), so a driver's time counts for the stage that
 * uses it. Worker threads (the SM2 pool) are not sampled: their time is the process's CPU time
 * minus what the main thread used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface Profile {
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
  // The SQL counters wrap the drivers' calls: transparent, the caller's stage counts. So is the
  // client-side bound on each statement (core/pg-query-bound.ts): its callback sits under every
  // reply the PostgreSQL ledger reads, whose driver time is the ledger's, as it was counted while
  // the bound lived in ledger/pg-timeouts.ts; counted as its own frame, it went to 'other'.
  if (path.startsWith('bench/support/') || path.startsWith('core/pg-query-bound')) return undefined;
  if (path.startsWith('bench/')) return 'bench (progress polling)';
  if (path.startsWith('connectors/')) return 'extract: read';
  if (path.startsWith('mappings/') || path.startsWith('catalog/')) return 'extract: map + validate';
  if (path.startsWith('pipelines/stages/extract')) return 'extract: map + validate';
  if (path.startsWith('ledger/audit')) return 'ledger: audit chain';
  if (path.startsWith('ledger/')) return 'ledger';
  if (path.startsWith('adapters/signers') || path.startsWith('pipelines/stages/sign'))
    return 'sign (main thread)';
  if (path.startsWith('adapters/platforms') || path.startsWith('pipelines/stages/deliver')) return 'deliver';
  // `licbridge run` itself: its start, its poll loop and its end (pipelines/run-pipelines.ts).
  const run = /^pipelines\/(run-pipelines|run-start|run-watch|run-end|sweep)/;
  if (run.test(path)) return 'run: progress + sweep';
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
  /** CPU of V8's profiler thread (`v8:ProfEvntProc`) while it sampled, ms: the profile's own cost. */
  profilerThreadMs: number;
}

/**
 * The sampling interval, µs. Each sample stops the main thread and has V8's profiler thread walk
 * and symbolise its stack, so the cost follows the run's wall time, not its licenses: at 2 ms that
 * thread used 21 ms of CPU a second of bench/pipeline.ts (~100 µs a license in a 470 s run on a
 * loaded machine), at 10 ms 10 ms a second (the rest is V8's code events, whatever the interval).
 * A run of 100,000 licenses still gives thousands of busy samples, and each stage's share of the
 * main thread stayed within the runs' own noise (bench/README.md).
 */
export const SAMPLING_INTERVAL_US = 10_000;

/**
 * CPU seconds (user + system) a process — or, with `/task/<tid>`, one of its threads — has used
 * so far, from /proc (Linux; 10 ms resolution); 0 where there is none.
 */
export function procCpuSeconds(pid: number | 'self' | undefined, task = ''): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}${task}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of each thread of this process alive now, by thread id, from /proc (empty without
 * it). A thread that has exited is not listed: its time stays in the process's total only.
 */
export function threadCpuSeconds(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task'))
      out.set(Number(tid), procCpuSeconds('self', `/task/${tid}`));
  } catch {
    // No /proc (not Linux): no threads listed.
  }
  return out;
}

/** CPU ms (user + system) of this process's thread named `name`, 0 when there is none (or no /proc). */
function threadCpuMs(name: string): number {
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== name) continue;
      return procCpuSeconds('self', `/task/${tid}`) * 1000;
    }
  } catch {
    // No /proc (not Linux): the line reads 0.
  }
  return 0;
}

const PROFILER_THREAD = 'v8:ProfEvntProc';

export class StageProfiler {
  readonly #session = new Session();
  #profilerThreadMs0 = 0;

  async start(intervalUs = SAMPLING_INTERVAL_US): Promise<void> {
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.#session.post('Profiler.start');
    this.#profilerThreadMs0 = threadCpuMs(PROFILER_THREAD);
  }

  /** Stops and attributes the samples; with `file`, also writes the raw `.cpuprofile`. */
  async stop(file?: string): Promise<StageCpu> {
    const profilerThreadMs = threadCpuMs(PROFILER_THREAD) - this.#profilerThreadMs0;
    const { profile } = (await this.#session.post('Profiler.stop')) as unknown as { profile: Profile };
    await this.#session.post('Profiler.disable');
    this.#session.disconnect();
    if (file) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
    }
    return { ...attributeSamples(profile), profilerThreadMs };
  }
}

/** Main-thread time of `profile` by stage (see the file's header for the rule). */
export function attributeSamples(profile: Profile): Omit<StageCpu, 'profilerThreadMs'> {
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
