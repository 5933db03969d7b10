/**
 * The `licbridge` command line. Each command's code is imported only when that command runs: a
 * command pulls in its own drivers and libraries (BullMQ, knex, axios, the dashboard, …), and
 * `licbridge status` should not pay for `licbridge serve`'s. `--help` and unknown commands list
 * every command, in this order, from cli/command-summaries.ts without loading any.
 */
import { Command } from 'commander';
import { COMMAND_SUMMARIES } from './command-summaries.js';

type Register = (program: Command) => void;

/** Top-level command name → a module that registers it (`catalog` is registered by two). */
const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ['run', async () => (await import('./commands/run.js')).registerRunCommand],
  ['worker', async () => (await import('./commands/worker.js')).registerWorkerCommand],
  ['dlq', async () => (await import('./commands/dlq.js')).registerDlqCommand],
  ['schedule', async () => (await import('./commands/schedule.js')).registerScheduleCommand],
  ['catalog', async () => (await import('./commands/catalog-pull.js')).registerCatalogPullCommand],
  ['catalog', async () => (await import('./commands/catalog.js')).registerCatalogCommands],
  ['preview', async () => (await import('./commands/preview.js')).registerPreviewCommand],
  ['test', async () => (await import('./commands/mapping-test.js')).registerMappingTestCommand],
  ['config', async () => (await import('./commands/config.js')).registerConfigCommands],
  ['status', async () => (await import('./commands/status.js')).registerStatusCommand],
  ['discover', async () => (await import('./commands/discover.js')).registerDiscoverCommand],
  ['source', async () => (await import('./commands/source.js')).registerSourceCommand],
  ['serve', async () => (await import('./commands/serve.js')).registerServeCommand],
  ['demo', async () => (await import('./commands/demo.js')).registerDemoCommand],
  ['simulator', async () => (await import('./commands/simulator.js')).registerSimulatorCommand],
  ['reconcile', async () => (await import('./commands/reconcile.js')).registerReconcileCommand],
  ['lifecycle', async () => (await import('./commands/lifecycle.js')).registerLifecycleCommand],
  ['audit', async () => (await import('./commands/audit.js')).registerAuditCommand],
  ['sign', async () => (await import('./commands/sign.js')).registerSignCommand],
  ['verify', async () => (await import('./commands/verify.js')).registerVerifyCommand],
  ['quarantine', async () => (await import('./commands/quarantine.js')).registerQuarantineCommand],
  ['seal', async () => (await import('./commands/seal.js')).registerSealCommand],
  ['render', async () => (await import('./commands/render.js')).registerRenderCommand],
  ['check', async () => (await import('./commands/check.js')).registerCheckCommand],
  ['objection', async () => (await import('./commands/objection.js')).registerObjectionCommand],
];

const NAMES = new Set(COMMANDS.map(([name]) => name));

/** The command the arguments name: the first word that is a command (options come before or after it). */
function commandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => NAMES.has(a));
}

/**
 * The program for these arguments: the named command's module only, or for top-level help the
 * summaries table (`full` registers every command instead, as tests comparing the two do).
 */
export async function buildProgram(argv: readonly string[] = process.argv, full = false): Promise<Command> {
  const program = new Command('licbridge')
    .description(
      'Integration middleware for electronic licenses: pulls legacy business data, maps and validates it ' +
        'against the license catalog, signs it with SM2/SM3 and syncs it to the province and city platforms.',
    )
    .option('-c, --config <file>', 'config file (default: $LICBRIDGE_CONFIG or ./licbridge.yaml)')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own exits (help, version, usage errors) keep their meaning: usage errors exit 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  // Listed as `name usage`, so the list reads the same whether it comes from the commands or the table.
  program.configureHelp({ subcommandTerm: (cmd) => `${cmd.name()} ${cmd.usage()}` });
  const wanted = commandOf(argv);
  if (wanted === undefined && !full) {
    // Top-level help, no command, or a mistyped one: the list needs names and descriptions only.
    for (const [name, description, usage] of COMMAND_SUMMARIES)
      program.command(name).description(description).usage(usage);
    return program;
  }
  const chosen = COMMANDS.filter(([name]) => wanted === undefined || name === wanted);
  for (const register of await Promise.all(chosen.map(([, load]) => load()))) register(program);
  return program;
}
