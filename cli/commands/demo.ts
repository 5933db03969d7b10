import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { commandLogger } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { progressReporter, summaryJson, summaryTable } from '../summary.js';
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
    simulatorState: join(data, 'province-simulator.json'),
  };
}

/** Creates the demo's legacy database and seal key when absent. */
export async function prepareDemo(paths = demoPaths(), rows = 3000): Promise<void> {
  await mkdir(join(paths.data, 'keys'), { recursive: true, mode: 0o700 });
  if (!existsSync(paths.legacyDb)) await generateLegacyDatabase(paths.legacyDb, { rows, seed: 20201 });
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
    .action(async (opts: { json?: boolean; rows: string; full?: boolean }) => {
      const paths = demoPaths();
      await prepareDemo(paths, Number(opts.rows));
      const config = await loadConfig({ file: paths.config });
      const logger = commandLogger(config);
      const simOptions = simulatorOptionsFor(config, 'province');
      const simUrl = `http://${simOptions.host}:${simOptions.port}`;
      const sim = (await answers(simUrl))
        ? undefined
        : await startProvinceSimulator({ ...simOptions, stateFile: paths.simulatorState });
      try {
        const progress = opts.json ? undefined : progressReporter();
        const runs = await runPipelines(config, {
          pipelines: Object.keys(config.pipelines),
          full: Boolean(opts.full),
          logger,
          ...(progress ? { onProgress: (s) => progress.update(s) } : {}),
        });
        progress?.done();
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
        await sim?.close();
      }
    });
}
