/**
 * The processes bench/pipeline.ts runs beside licbridge, and what it reads of them: a Redis server
 * of its own (its commands and CPU from INFO, which a shared one would mix with others'), and the
 * province simulator in a process of its own (support/province-sim-process.ts), whose CPU and
 * answers are then its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { SAMPLING_INTERVAL_US } from './support/cpu-stages.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve) =>
    p.stdout?.on('data', (d: Buffer) => d.toString().includes('Ready') && resolve()),
  );
  return p;
}

/**
 * The province simulator in a process of its own; with `profileFile`, that process writes its CPU
 * profile there when it stops (`node --cpu-prof`), sampled every `intervalUs` as the main thread
 * is: at node's own 1,000 µs the sampler added ~10 % to the simulator's CPU per license, all of it
 * counted in the simulator's figure (10,000 µs: ~4 %).
 */
export async function startSimulator(
  credentials: { appKey: string; secret: string },
  stateFile: string | undefined,
  profileFile: string | undefined,
  intervalUs = SAMPLING_INTERVAL_US,
): Promise<{ proc: ChildProcess; url: string }> {
  const script = join(import.meta.dirname, 'support', 'province-sim-process.js');
  const profile = profileFile
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        dirname(profileFile),
        '--cpu-prof-name',
        basename(profileFile),
        '--cpu-prof-interval',
        String(intervalUs),
      ]
    : [];
  const proc = spawn(
    process.execPath,
    [...profile, script, credentials.appKey, credentials.secret, ...(stateFile ? [stateFile] : [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`province simulator exited with ${code}`)));
    proc.stdout?.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url));
  });
  return { proc, url };
}

export async function stopSimulator(proc: ChildProcess): Promise<{ accepted: number; duplicates: number }> {
  const out = new Promise<string>((resolve) => {
    let text = '';
    proc.stderr?.on('data', (d: Buffer) => {
      text += d.toString();
    });
    proc.once('exit', () => resolve(text));
  });
  proc.kill('SIGTERM');
  const line = (await out).trim().split('\n').pop() ?? '{}';
  try {
    return JSON.parse(line) as { accepted: number; duplicates: number };
  } catch {
    return { accepted: -1, duplicates: -1 };
  }
}

export function parseCommandStats(info: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1] ?? '?', Number(m[2]));
  return out;
}

export function redisCpuSeconds(info: string): number {
  const num = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return num('used_cpu_user') + num('used_cpu_sys');
}
