import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { commandLogger } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { packageRoot } from '../package-root.js';
import { summaryJson, summaryTable } from '../summary.js';
import { demoProgress } from './demo-progress.js';
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

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/_sim/stats', url), { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run the demo department end to end: generate its legacy database and seal key if absent,\n' +
        'start the province simulator (unless one is already up), run every pipeline, print the summary',
    )
    .option('--json', 'print only the JSON summary on stdout')
    .option('--rows <n>', 'rows in a newly generated legacy database', '3000')
    .option('--full', 'read the whole legacy table again instead of from the checkpoint')
    .action(async (opts: { json?: boolean; rows: string; full?: boolean }, cmd: Command) => {
      const rows = Number(opts.rows);
      if (!Number.isSafeInteger(rows) || rows < 1) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `demo: --rows must be a positive whole number, got ${opts.rows}`,
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
      const simUrl = `http://${simOptions.host}:${simOptions.port}`;
      const sim = (await answers(simUrl))
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
          const stats = await fetch(new URL('/_sim/stats', simUrl)).then(
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
