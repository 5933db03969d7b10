/**
 * Following docs/onboarding.md word by word, shared by the two halves of the guide's test
 * (test/ops/onboarding.e2e.test.ts, steps 1–7; test/ops/onboarding-operate.e2e.test.ts, steps
 * 8–10): the guide read into steps, a private copy of the demo department with the province
 * simulator, and a runner that writes every file the guide shows, applies every edit, checks every
 * excerpt of a file the demo ships against that file, runs every command as written and checks
 * every output excerpt against what the command printed.
 *
 * The shell reads each command line as a terminal's would (quoting, expansion, comments). The
 * long-lived command runs as the built CLI in a process of its own, beside the next steps, and
 * stops at Ctrl-C (SIGINT); every other command runs in process (test/support/cli.ts: the same
 * command line, exit status and output; `LICBRIDGE_TEST_SPAWN=1` runs them as the built CLI too).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { isMap, isScalar, type Node, parse, parseDocument } from 'yaml';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { licbridge } from './cli.js';
import { obliterate } from './demo-workspace.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
export const GUIDE = join(ROOT, 'docs', 'onboarding.md');
const EXAMPLE = join(ROOT, 'examples', 'west-coast');
export const PIPELINE = 'small-catering-registrations';
export const TABLE = 'T_XCY_DJZ';

/** A fenced block of the guide, with the number of the step (`## 7. First run`) it sits in (0 before step 1). */
export type Step = { section: number } & (
  | { kind: 'file'; path: string; text: string; line: number }
  | { kind: 'edit'; path: string; text: string; line: number }
  | { kind: 'excerpt'; path: string; text: string; line: number }
  | { kind: 'commands'; commands: { text: string; line: number }[] }
  | { kind: 'output'; lines: string[]; line: number }
);

/** The guide's fenced blocks, in order, as the steps its conventions make of them. */
export function readGuide(markdown: string): Step[] {
  const steps: Step[] = [];
  const lines = markdown.split('\n');
  let section = 0;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (\d+)\. /.exec(lines[i] ?? '')?.[1];
    if (heading !== undefined) section = Number(heading);
    const lang = /^```(\w+)\s*$/.exec(lines[i] ?? '')?.[1];
    if (lang === undefined) continue;
    const start = i + 1;
    const body: string[] = [];
    while (++i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i] ?? '');
    if (lang === 'yaml') {
      const marker = /^# (file|edit|in): (\S+)\s*$/.exec(body[0] ?? '');
      if (marker) {
        const [, written, path] = marker as unknown as [string, 'file' | 'edit' | 'in', string];
        const kind = written === 'in' ? 'excerpt' : written;
        steps.push({ section, kind, path, text: `${body.join('\n')}\n`, line: start });
      }
    } else if (lang === 'sh') {
      const commands: { text: string; line: number }[] = [];
      for (let j = 0; j < body.length; j++) {
        let text = (body[j] ?? '').trim();
        const line = start + j + 1;
        while (text.endsWith('\\') && j + 1 < body.length)
          text = `${text.slice(0, -1)} ${(body[++j] ?? '').trim()}`;
        if (text !== '' && !text.startsWith('#')) commands.push({ text, line });
      }
      steps.push({ section, kind: 'commands', commands });
    } else if (lang === 'text' && steps.at(-1)?.kind === 'commands') {
      steps.push({ section, kind: 'output', lines: body, line: start });
    }
  }
  return steps;
}

const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Lines of the excerpt must appear in the output in order; `…` stands for any text. */
export function missingExcerptLine(excerpt: readonly string[], output: string): string | undefined {
  const got = output.split('\n').map(squeeze);
  let at = 0;
  for (const want of excerpt.map(squeeze)) {
    if (want === '…' || want === '') continue;
    const pattern = new RegExp(
      `^${want
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    while (at < got.length && !pattern.test(got[at] ?? '')) at++;
    if (at === got.length) return want;
    at++;
  }
  return undefined;
}

/**
 * The path of the first key of `excerpt` whose value `file` does not hold (a map's keys compared
 * one by one, any other value whole), or undefined when the file holds all of it.
 */
export function differingKey(excerpt: unknown, file: unknown, path = ''): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(excerpt) && isObject(file)) {
    for (const [key, value] of Object.entries(excerpt)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (!(key in file)) return at;
      const differs = differingKey(value, file[key], at);
      if (differs !== undefined) return differs;
    }
    return undefined;
  }
  return JSON.stringify(excerpt) === JSON.stringify(file) ? undefined : path || '(the whole file)';
}

/** Sets every key of `node` in `doc` at `path`, recursing into maps both sides have. */
export function applyEdit(doc: ReturnType<typeof parseDocument>, path: unknown[], node: unknown): void {
  if (isMap(node) && (path.length === 0 || isMap(doc.getIn(path, true)))) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) throw new Error(`edit: key at ${path.join('.')} is not plain`);
      applyEdit(doc, [...path, pair.key.value], pair.value);
    }
    return;
  }
  doc.setIn(path, node as Node);
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs a guide command as written through the shell, in the workspace. `exec` hands the process
 * over to the command itself, so a Ctrl-C (SIGINT) reaches it as it does in a terminal.
 */
export function start(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  const line = command.replace(/^licbridge(?=\s|$)/, `${quote(process.execPath)} ${quote(BIN)}`);
  const child = spawn('/bin/sh', ['-c', `exec ${line}`], { cwd, env });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
  });
  const finished = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...out }));
  });
  return { child, out, finished };
}

/** A command line's words as the shell makes them, in the workspace and its environment. */
export async function shellWords(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `exec printf '%s\\0' ${command}`], {
    cwd,
    env,
  });
  return stdout.split('\0').slice(0, -1);
}

// A hang ends as a failure instead of blocking the suite; it is not a bound on how long a step takes.
export function guarded<T>(promise: Promise<T>, child: ChildProcess, what: string): Promise<T> {
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return promise
    .finally(() => clearTimeout(timer))
    .then((v) => {
      if (child.signalCode === 'SIGKILL') throw new Error(`${what}: did not finish`);
      return v;
    });
}

/** The demo department the guide's reader starts from, in a folder of its own. */
export interface GuideWorkspace {
  dir: string;
  simulator: ProvinceSimulator;
  /** The environment of the guide's shell. */
  env: NodeJS.ProcessEnv;
  /** What the guide's environment adds, for the commands run in process. */
  added: Record<string, string>;
  /** Commands that keep running until Ctrl-C, started by {@link followGuide}. */
  longLived: { command: string; child: ChildProcess; finished: Promise<Finished> }[];
  close(): Promise<void>;
}

/**
 * The demo folder as it ships, with what `npm run demo` generates into data/: the legacy database
 * (same seed) and a seal key; the province simulator `npm run demo:simulator` runs; and the demo
 * run once, as the guide's "Before you start" asks.
 */
export async function openGuideWorkspace(): Promise<GuideWorkspace> {
  const savedConfigEnv = process.env.LICBRIDGE_CONFIG;
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-onboarding-'));
  let prefix: string | undefined;
  let simulator: ProvinceSimulator | undefined;
  const longLived: GuideWorkspace['longLived'] = [];
  const close = async () => {
    if (savedConfigEnv !== undefined) process.env.LICBRIDGE_CONFIG = savedConfigEnv;
    for (const p of longLived) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await simulator?.close();
    if (prefix) await obliterate(prefix);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const part of ['catalog', 'mappings', 'road-transport', 'licbridge.yaml']) {
      await cp(join(EXAMPLE, part), join(dir, part), { recursive: true });
    }
    await mkdir(join(dir, 'data', 'keys'), { recursive: true });
    await generateLegacyDatabase(join(dir, 'data', 'legacy.db'), { rows: 3000, seed: 20201 });
    await writeFile(join(dir, 'data', 'keys', 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, {
      mode: 0o600,
    });
    // The only change to the config: a queue prefix of its own, so no other run shares its queues.
    prefix = `test-${randomUUID()}`;
    const configFile = join(dir, 'licbridge.yaml');
    const config = await readFile(configFile, 'utf8');
    expect(config.match(/^ {2}prefix: licbridge-demo$/gm), 'the demo queue prefix line').toHaveLength(1);
    await writeFile(configFile, config.replace(/^ {2}prefix: licbridge-demo$/m, `  prefix: ${prefix}`));
    const secret = randomUUID();
    const appKey = String(parse(config).targets.province.auth.appKey);
    simulator = await startProvinceSimulator({ port: 0, auth: { appKey, secret } });
    // The guide's own seal key is encrypted with a passphrase from the service's environment.
    const added = {
      LICBRIDGE_PROVINCE_URL: simulator.url,
      LICBRIDGE_PROVINCE_SECRET: secret,
      LICBRIDGE_SEAL_PASSPHRASE: randomUUID(),
    };
    // The guide's reader has no LICBRIDGE_CONFIG: each command finds ./licbridge.yaml.
    delete process.env.LICBRIDGE_CONFIG;
    const env = { ...process.env, ...added };
    // "Run the demo once": the demo pipeline's licenses and quarantined rows are in the ledger.
    const demo = await licbridge(['run', 'food-business-licenses'], {
      cwd: dir,
      env: added,
      timeoutMs: 50_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    return { dir, simulator, env, added, longLived, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Writes every file, applies every edit and runs every command of `steps` as written, in order,
 * checking each output excerpt against what the command before it printed. A long-lived command
 * goes on beside the next steps, as in a terminal of its own, once it is up.
 */
export async function followGuide(steps: readonly Step[], ws: GuideWorkspace): Promise<void> {
  const { dir, env, added, longLived } = ws;
  let last: { command: string; stdout: string } | undefined;
  for (const step of steps) {
    if (step.kind === 'file') {
      await mkdir(dirname(join(dir, step.path)), { recursive: true });
      await writeFile(join(dir, step.path), step.text);
    } else if (step.kind === 'edit') {
      const target = join(dir, step.path);
      const doc = parseDocument(await readFile(target, 'utf8'));
      applyEdit(doc, [], parseDocument(step.text).contents);
      expect(doc.errors, `${step.path} after the edit at onboarding.md:${step.line}`).toEqual([]);
      await writeFile(target, doc.toString());
    } else if (step.kind === 'excerpt') {
      // An excerpt of a file the demo ships: each key it shows has that value in the file.
      const file = parse(await readFile(join(dir, step.path), 'utf8')) as unknown;
      const differs = differingKey(parse(step.text) as unknown, file);
      expect(
        differs,
        `onboarding.md:${step.line}: ${step.path} does not hold what the guide shows`,
      ).toBeUndefined();
    } else if (step.kind === 'output') {
      if (!last) throw new Error(`onboarding.md:${step.line}: an output excerpt with no command before it`);
      const missing = missingExcerptLine(step.lines, last.stdout);
      expect(
        missing,
        `onboarding.md:${step.line}: output of \`${last.command}\`:\n${last.stdout}`,
      ).toBeUndefined();
    } else {
      for (const { text, line } of step.commands) {
        const where = `onboarding.md:${line}: \`${text}\``;
        // Only what the guide's reader runs: one licbridge command per line, no shell plumbing.
        expect(text, where).toMatch(/^licbridge(\s|$)/);
        expect(text.replace(/\s#.*$/, ''), where).not.toMatch(/[|&;<>`]|\$\(/);
        if (/#\s*keeps running until Ctrl-C/i.test(text)) {
          const proc = start(text, dir, env);
          await guarded(
            new Promise<void>((resolve, reject) => {
              const check = () => /worker: started/.test(proc.out.stderr + proc.out.stdout) && resolve();
              proc.child.stderr?.on('data', check);
              proc.child.stdout?.on('data', check);
              void proc.finished.then((f) =>
                reject(new Error(`${where}: exited early (${f.code}): ${f.stderr}`)),
              );
            }),
            proc.child,
            where,
          );
          longLived.push({ command: where, child: proc.child, finished: proc.finished });
          continue;
        }
        const [command, ...args] = await shellWords(text, dir, env);
        expect(command, where).toBe('licbridge');
        // A hang ends as a failure (a null status) instead of blocking the suite.
        const r = await licbridge(args, { cwd: dir, env: added, timeoutMs: 50_000 });
        expect(r.status, `${where} exited ${r.status ?? 'without finishing'}\n${r.stdout}\n${r.stderr}`).toBe(
          0,
        );
        last = { command: text, stdout: r.stdout };
      }
    }
  }
}

/** Ctrl-C, as the guide says: each long-lived command stops cleanly. */
export async function stopLongLived(ws: GuideWorkspace): Promise<void> {
  for (const p of ws.longLived) {
    p.child.kill('SIGINT');
    const r = await guarded(p.finished, p.child, p.command);
    expect(r.code, `${p.command} after Ctrl-C: ${r.signal ?? ''}\n${r.stderr}`).toBe(0);
  }
}
