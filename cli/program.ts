import { Command } from 'commander';
import { registerConfigCommands } from './commands/config.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimulatorCommand } from './commands/simulator.js';
import { registerStatusCommand } from './commands/status.js';
import { registerWorkerCommand } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command('licbridge')
    .description(
      'Integration middleware for electronic licenses: pulls legacy business data, maps and validates it\n' +
        'against the license catalog, signs it with SM2/SM3 and syncs it to the province and city platforms.',
    )
    .option('-c, --config <file>', 'config file (default: $LICBRIDGE_CONFIG or ./licbridge.yaml)')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own exits (help, version, usage errors) keep their meaning: usage errors exit 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerRunCommand(program);
  registerWorkerCommand(program);
  registerConfigCommands(program);
  registerStatusCommand(program);
  registerDemoCommand(program);
  registerSimulatorCommand(program);
  return program;
}
