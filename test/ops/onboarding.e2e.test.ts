/**
 * Follows docs/onboarding.md word by word on a private copy of the demo department: writes every
 * file the guide shows, applies every edit it shows, runs every command as written and checks every
 * output excerpt against what the command printed. Then checks the outcome the guide promises: the
 * new pipeline created the licenses, quarantined exactly the faulty rows and delivered the rest to
 * the province platform.
 *
 * The shell reads each command line as a terminal's would (quoting, expansion, comments). The
 * long-lived command runs as the built CLI in a process of its own, beside the next steps, and
 * stops at Ctrl-C (SIGINT); every other command runs in process (test/support/cli.ts: the same
 * command line, exit status and output; `LICBRIDGE_TEST_SPAWN=1` runs them as the built CLI too).
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, type Node, parse, parseDocument } from 'yaml';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const GUIDE = join(ROOT, 'docs', 'onboarding.md');
const EXAMPLE = join(ROOT, 'examples', 'west-coast');
const PIPELINE = 'small-catering-registrations';
const TABLE = 'T_XCY_DJZ';

type Step =
  | { kind: 'file'; path: string; text: string; line: number }
  | { kind: 'edit'; path: string; text: string; line: number }
  | { kind: 'commands'; commands: { text: string; line: number }[] }
  | { kind: 'output'; lines: string[]; line: number };

/** The guide's fenced blocks, in order, as the steps its conventions make of them. */
function readGuide(markdown: string): Step[] {
  const steps: Step[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lang = /^```(\w+)\s*$/.exec(lines[i] ?? '')?.[1];
    if (lang === undefined) continue;
    const start = i + 1;
    const body: string[] = [];
    while (++i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i] ?? '');
    if (lang === 'yaml') {
      const marker = /^# (file|edit): (\S+)\s*$/.exec(body[0] ?? '');
      if (marker) {
        const [, kind, path] = marker as unknown as [string, 'file' | 'edit', string];
        steps.push({ kind, path, text: `${body.join('\n')}\n`, line: start });
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
      steps.push({ kind: 'commands', commands });
    } else if (lang === 'text' && steps.at(-1)?.kind === 'commands') {
      steps.push({ kind: 'output', lines: body, line: start });
    }
  }
  return steps;
}

const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Lines of the excerpt must appear in the output in order; `…` stands for any text. */
function missingExcerptLine(excerpt: readonly string[], output: string): string | undefined {
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

/** Sets every key of `node` in `doc` at `path`, recursing into maps both sides have. */
function applyEdit(doc: ReturnType<typeof parseDocument>, path: unknown[], node: unknown): void {
  if (isMap(node) && (path.length === 0 || isMap(doc.getIn(path, true)))) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) throw new Error(`edit: key at ${path.join('.')} is not plain`);
      applyEdit(doc, [...path, pair.key.value], pair.value);
    }
    return;
  }
  doc.setIn(path, node as Node);
}

interface Finished {
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
function start(command: string, cwd: string, env: NodeJS.ProcessEnv) {
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
async function shellWords(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `exec printf '%s\\0' ${command}`], {
    cwd,
    env,
  });
  return stdout.split('\0').slice(0, -1);
}

// A hang ends as a failure instead of blocking the suite; it is not a bound on how long a step takes.
function guarded<T>(promise: Promise<T>, child: ChildProcess, what: string): Promise<T> {
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return promise
    .finally(() => clearTimeout(timer))
    .then((v) => {
      if (child.signalCode === 'SIGKILL') throw new Error(`${what}: did not finish`);
      return v;
    });
}

// GB 11643-1999 and the calendar, written here from the standards, apart from the catalog's code.
function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'.charAt(w.reduce((s, x, i) => s + x * Number(first17.charAt(i)), 0) % 11);
}
/** Valid once normalised the way the guide's mapping does: trimmed, `x` → `X`, 15 digits → 18. */
function residentIdValid(raw: string): boolean {
  let id = raw.trim().toUpperCase();
  if (/^\d{15}$/.test(id))
    id = `${id.slice(0, 6)}19${id.slice(6)}${idCheck(`${id.slice(0, 6)}19${id.slice(6)}`)}`;
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = realDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
  return birth && idCheck(id.slice(0, 17)) === id.charAt(17);
}
/** `yyyy/M/d` or `yyyy-MM-dd` naming a real day. */
function registryDateValid(text: string): boolean {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(text.trim());
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

describe('the onboarding guide, followed as written', () => {
  let dir: string;
  let prefix: string;
  let simulator: ProvinceSimulator;
  let env: NodeJS.ProcessEnv;
  /** What the guide's environment adds, for the commands run in process. */
  let added: Record<string, string>;
  const savedConfigEnv = process.env.LICBRIDGE_CONFIG;
  const longLived: { command: string; child: ChildProcess; finished: Promise<Finished> }[] = [];

  beforeAll(async () => {
    // The demo folder as it ships, with what `npm run demo` generates into data/: the legacy
    // database (same seed) and a seal key; and the province simulator `npm run demo:simulator` runs.
    dir = await mkdtemp(join(tmpdir(), 'licbridge-onboarding-'));
    for (const part of ['catalog', 'mappings', 'licbridge.yaml']) {
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
    added = {
      LICBRIDGE_PROVINCE_URL: simulator.url,
      LICBRIDGE_PROVINCE_SECRET: secret,
      LICBRIDGE_SEAL_PASSPHRASE: randomUUID(),
    };
    // The guide's reader has no LICBRIDGE_CONFIG: each command finds ./licbridge.yaml.
    delete process.env.LICBRIDGE_CONFIG;
    env = { ...process.env, ...added };
    // "Run the demo once": the demo pipeline's licenses and quarantined rows are in the ledger.
    const demo = await licbridge(['run', 'food-business-licenses'], {
      cwd: dir,
      env: added,
      timeoutMs: 50_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
  });

  afterAll(async () => {
    if (savedConfigEnv !== undefined) process.env.LICBRIDGE_CONFIG = savedConfigEnv;
    for (const p of longLived) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await simulator?.close();
    if (prefix) await obliterate(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('covers every step of onboarding with files and commands', async () => {
    const steps = readGuide(await readFile(GUIDE, 'utf8'));
    const run = steps.flatMap((s) => (s.kind === 'commands' ? s.commands.map((c) => c.text) : []));
    const verbs = run.map((c) => c.split(/\s+/)[1]);
    for (const verb of [
      'discover',
      'catalog',
      'config',
      'preview',
      'test',
      'run',
      'schedule',
      'worker',
      'status',
    ]) {
      expect(verbs, `the guide runs \`licbridge ${verb}\``).toContain(verb);
    }
    expect(run).toContain(
      `licbridge discover market-food --table ${TABLE} --draft-mapping mappings/small-catering-registration.yaml`,
    );
    const written = steps.flatMap((s) =>
      s.kind === 'file' || s.kind === 'edit' ? [`${s.kind} ${s.path}`] : [],
    );
    expect(written).toEqual(
      expect.arrayContaining(['file catalog/small-catering-registration.yaml', 'edit licbridge.yaml']),
    );
  });

  // Some fifteen commands run one after another: the limit is there to stop a hang on a loaded
  // host, not to time the steps.
  it('runs every command, writes every file and prints every excerpt the guide shows', async () => {
    const steps = readGuide(await readFile(GUIDE, 'utf8'));
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
            // Long-lived: it goes on beside the next steps, as in a terminal of its own, once it is up.
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
          expect(
            r.status,
            `${where} exited ${r.status ?? 'without finishing'}\n${r.stdout}\n${r.stderr}`,
          ).toBe(0);
          last = { command: text, stdout: r.stdout };
        }
      }
    }
    // Ctrl-C, as the guide says: each long-lived command stops cleanly.
    for (const p of longLived) {
      p.child.kill('SIGINT');
      const r = await guarded(p.finished, p.child, p.command);
      expect(r.code, `${p.command} after Ctrl-C: ${r.signal ?? ''}\n${r.stderr}`).toBe(0);
    }
  }, 120_000);

  it('ends with the registrations delivered and exactly the faulty rows quarantined', async () => {
    const db = new Database(join(dir, 'data', 'legacy.db'), { readonly: true });
    const rows = db.prepare(`SELECT XH, DJZBH, SFZHM, DJRQ FROM ${TABLE}`).all() as {
      XH: number;
      DJZBH: string;
      SFZHM: string;
      DJRQ: string;
    }[];
    db.close();
    const badId = rows.filter((r) => !residentIdValid(r.SFZHM));
    const badDate = rows.filter((r) => !registryDateValid(r.DJRQ));
    // The data plants both faults; a table without them would prove nothing here.
    expect(badId.length).toBeGreaterThan(0);
    expect(badDate.length).toBeGreaterThan(0);
    const faulty = new Set([...badId, ...badDate].map((r) => String(r.XH)));
    const good = rows.filter((r) => !faulty.has(String(r.XH)));

    const ledger = await openLedger(`sqlite://${join(dir, 'data', 'ledger.db')}`);
    try {
      const run = await ledger.lastRun(PIPELINE);
      expect(run).toMatchObject({
        state: 'done',
        read: rows.length,
        created: good.length,
        quarantined: faulty.size,
      });
      const quarantined = await ledger.quarantineFor(run?.runId ?? '');
      expect(new Set(quarantined.map((q) => q.sourceKey))).toEqual(faulty);
      // A date that fails stops the row at the mapping, before the catalog checks the ID number.
      const dated = new Set(badDate.map((r) => String(r.XH)));
      for (const q of quarantined) {
        const codes = q.reasons.map((r) => `${r.code} ${r.path}`).sort();
        expect(codes, `row ${q.sourceKey}`).toEqual(
          dated.has(q.sourceKey)
            ? ['LB_MAP_DATE issueDate', 'LB_MAP_DATE validFrom']
            : ['LB_HOLDER_ID_CHECK holder.id'],
        );
      }
    } finally {
      await ledger.close();
    }

    const typeCode = String(
      parse(await readFile(join(dir, 'catalog', 'small-catering-registration.yaml'), 'utf8')).code,
    );
    const delivered = simulator.licenses().filter((l) => l.license.zzlxdm === typeCode);
    expect(delivered.map((l) => l.license.zzbh).sort()).toEqual(
      good.map((r) => r.DJZBH.trim().toUpperCase()).sort(),
    );
    expect(new Set(delivered.map((l) => l.license.czztdmlx))).toEqual(new Set(['111']));
    expect(simulator.stats().duplicates).toBe(0);
  });

  it("leaves the department's own seal key owner-only and a request OpenSSL verifies", async () => {
    expect((await stat(join(dir, 'data', 'keys', 'own-seal.key.pem'))).mode & 0o777).toBe(0o600);
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-in',
        'own-seal.csr',
        '-noout',
        '-verify',
        '-vfyopt',
        'distid:1234567812345678',
        '-subject',
        '-nameopt',
        'utf8',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(`${r.stdout}${r.stderr}`).toContain('verify OK');
    expect(r.stdout).toContain('serialNumber=11370211MB12345672');
  });
});
