import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { commandLogger } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { packageRoot } from '../package-root.js';
import { ProgressLine, type ProgressOptions } from '../progress.js';
import { summaryJson, summaryTable } from '../summary.js';
import { simulatorOptionsFor } from './simulator.js';

/** The demo department's files: generated on first use, never committed (the key least of all). */
export function demoPaths(root = packageRoot()) {
  const dir = join(root, 'examples', 'west-coast');
  const data = join(dir, 'data');
  return {
    dir,
    data,
    config: join(dir, 'licbridge.yaml'),
    legacyDb: join(data, 'legacy.db'),
    sealKey: join(data, 'keys', 'seal.key.pem'),
    /** The province simulator's SQLite state (see adapters/simulators/province/state-db.ts). */
    simulatorState: join(data, 'province-simulator.db'),
    /** Where earlier versions kept it, as JSON: taken over (and converted) when found. */
    formerSimulatorState: join(data, 'province-simulator.json'),
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms : hms.slice(1))
    .map((v, i) => (i === 0 ? String(v) : String(v).padStart(2, '0')))
    .join(':');
}

export interface DemoProgress {
  /** Rows of the legacy table written so far, while it is generated. */
  generating(written: number, rows: number): void;
  update(runs: readonly RunSummary[]): void;
  /** Ends the rewritten line and prints the totals once. */
  done(runs?: readonly RunSummary[]): void;
}

/**
 * The demo's progress on stderr (../progress.ts): counts, their rates since the line before (the
 * first of a phase: since it began) and elapsed time, at most once a second on a terminal and
 * every five seconds otherwise, so a million-row demo shows it is moving without flooding a log.
 */
export function demoProgress(options: ProgressOptions = {}): DemoProgress {
  const stream = options.stream ?? process.stderr;
  const line = new ProgressLine({ terminalIntervalMs: 1000, ...options, stream });
  const started = line.started;
  /** The counts of the last line shown; `zero`: none yet in this phase, which began at `at`. */
  let last: { at: number; counts: Map<string, number>; zero?: boolean } = {
    at: started,
    counts: new Map(),
    zero: true,
  };
  /** When the pipelines started: the first progress report after any generation. */
  let runsStarted: number | undefined;

  /** Each count with its rate since the last line shown. */
  const withRates = (counts: Map<string, number>) => {
    const now = line.now();
    const seconds = (now - last.at) / 1000;
    const parts = [...counts].map(([name, n]) => {
      const before = last.zero ? 0 : last.counts.get(name);
      const rate =
        before !== undefined && seconds > 0 ? ` (${count(Math.round((n - before) / seconds))}/s)` : '';
      return `${name} ${count(n)}${rate}`;
    });
    last = { at: now, counts };
    return parts.join(', ');
  };
  const countsOf = (runs: readonly RunSummary[]) => {
    const counts = new Map<string, number>();
    const sum = (name: string, n: number) => counts.set(name, (counts.get(name) ?? 0) + n);
    for (const r of runs) {
      sum('read', r.read);
      sum('created', r.created);
      sum('quarantined', r.quarantined);
      sum('signed', r.signed);
      for (const [t, n] of Object.entries(r.delivered)) sum(`delivered to ${t}`, n);
    }
    return counts;
  };

  return {
    generating(written, rows) {
      const final = written === rows;
      if (line.due(final)) {
        const text = `demo ${elapsed(line.now() - started)}: legacy database ${withRates(new Map([['rows', written]]))} of ${count(rows)}`;
        line.show(terminalSafe(text), { final });
      }
      if (final) last = { at: line.now(), counts: new Map(), zero: true };
    },
    update(runs) {
      if (runsStarted === undefined) {
        runsStarted = line.now();
        last = { at: runsStarted, counts: new Map(), zero: true };
      }
      if (!line.due()) return;
      line.show(terminalSafe(`demo ${elapsed(line.now() - started)}: ${withRates(countsOf(runs))}`));
    },
    done(runs) {
      line.end();
      if (!runs) return;
      const now = line.now();
      const from = runsStarted ?? started;
      const seconds = Math.max(0.001, (now - from) / 1000);
      const delivered = runs.reduce((s, r) => s + Object.values(r.delivered).reduce((a, b) => a + b, 0), 0);
      const setup = from > started ? `, ${elapsed(from - started)} of it preparing` : '';
      stream.write(
        terminalSafe(
          `demo: done in ${elapsed(now - started)}${setup}: ${count(delivered)} deliveries, ${count(Math.round(delivered / seconds))}/s while the pipelines ran\n`,
        ),
      );
    },
  };
}

/** Creates the demo's legacy database and seal key when absent. */
export async function prepareDemo(
  paths = demoPaths(),
  rows = 3000,
  onProgress?: (written: number, rows: number) => void,
): Promise<void> {
  await mkdir(join(paths.data, 'keys'), { recursive: true, mode: 0o700 });
  if (!existsSync(paths.legacyDb)) {
    await generateLegacyDatabase(paths.legacyDb, {
      rows,
      seed: 20201,
      ...(onProgress ? { onProgress } : {}),
    });
  }
  // The simulator converts a JSON state file it is given; this keeps what an earlier demo delivered.
  if (existsSync(paths.formerSimulatorState) && !existsSync(paths.simulatorState)) {
    await rename(paths.formerSimulatorState, paths.simulatorState);
  }
  if (!existsSync(paths.sealKey)) {
    const { privateKeyPem } = generateSm2KeyPair();
    await writeFile(paths.sealKey, privateKeyPem, { mode: 0o600 });
    await chmod(paths.sealKey, 0o600);
  }
}

interface SimulatorAt {
  host: string;
  port: number;
  basePath?: string;
}

/**
 * The simulator's `/_sim/stats` under the target url's path. Every simulator answers it at the root
 * too, whatever path it serves: asked there, one serving another path was taken for the demo's and
 * every batch sent to the url's path was answered 404.
 */
const statsUrl = (at: SimulatorAt): string => `http://${at.host}:${at.port}${at.basePath ?? ''}/_sim/stats`;

/** Whether a province simulator already answers where the simulator of `options` would stand. */
export async function provinceSimulatorAnswers(options: SimulatorAt): Promise<boolean> {
  try {
    const res = await fetch(statsUrl(options), { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run the demo department end to end: generate its legacy database and seal key if absent, ' +
        'start the province simulator (unless one is already up), run every pipeline, print the summary',
    )
    .option('--json', 'print only the JSON summary on stdout')
    .option('--rows <n>', 'rows in a newly generated legacy database', '3000')
    .option('--full', 'read the whole legacy table again instead of from the checkpoint')
    .action(async (opts: { json?: boolean; rows: string; full?: boolean }, cmd: Command) => {
      const rows = Number(opts.rows);
      // Digits only: Number() takes `1e3`, `0x10` and `1.0` as numbers.
      if (!/^\d+$/.test(opts.rows) || !Number.isSafeInteger(rows) || rows < 1) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `demo: expected \`--rows\` to be a positive integer, got \`${opts.rows}\``,
        );
      }
      const paths = demoPaths();
      const progress = opts.json ? undefined : demoProgress();
      if (existsSync(paths.legacyDb) && cmd.getOptionValueSource('rows') === 'cli') {
        process.stderr.write(
          `demo: ${paths.legacyDb} already exists; --rows applies to a newly generated one (delete ${paths.data} to start over)\n`,
        );
      }
      await prepareDemo(
        paths,
        rows,
        progress ? (written, total) => progress.generating(written, total) : undefined,
      );
      const config = await loadConfig({ file: paths.config });
      const logger = commandLogger(config);
      const simOptions = simulatorOptionsFor(config, 'province');
      const sim = (await provinceSimulatorAnswers(simOptions))
        ? undefined
        : await startProvinceSimulator({ ...simOptions, stateFile: paths.simulatorState });
      try {
        const runs = await runPipelines(config, {
          pipelines: Object.keys(config.pipelines),
          full: Boolean(opts.full),
          logger,
          ...(progress ? { onProgress: (s) => progress.update(s) } : {}),
        });
        progress?.done(runs);
        if (opts.json) {
          process.stdout.write(`${summaryJson(runs)}\n`);
        } else {
          process.stdout.write(summaryTable(runs));
          const stats = await fetch(statsUrl(simOptions)).then(
            (r) => r.json() as Promise<Record<string, number>>,
          );
          process.stdout.write(
            `province simulator: ${stats.accepted ?? 0} licenses held, ${stats.duplicates ?? 0} duplicates received\n`,
          );
        }
        if (runs.some((r) => r.state === 'failed')) process.exitCode = EXIT_FAILED;
      } finally {
        progress?.done();
        await sim?.close();
      }
      commandFinished('demo', logger);
    });
}
