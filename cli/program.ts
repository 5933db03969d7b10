import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.js';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerCatalogPullCommand } from './commands/catalog-pull.js';
import { registerCheckCommand } from './commands/check.js';
import { registerConfigCommands } from './commands/config.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDiscoverCommand } from './commands/discover.js';
import { registerDlqCommand } from './commands/dlq.js';
import { registerMappingTestCommand } from './commands/mapping-test.js';
import { registerPreviewCommand } from './commands/preview.js';
import { registerQuarantineCommand } from './commands/quarantine.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerRunCommand } from './commands/run.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerSealCommand } from './commands/seal.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSignCommand } from './commands/sign.js';
import { registerSimulatorCommand } from './commands/simulator.js';
import { registerSourceCommand } from './commands/source.js';
import { registerStatusCommand } from './commands/status.js';
import { registerVerifyCommand } from './commands/verify.js';
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
  registerDlqCommand(program);
  registerScheduleCommand(program);
  registerCatalogPullCommand(program);
  registerCatalogCommands(program);
  registerPreviewCommand(program);
  registerMappingTestCommand(program);
  registerConfigCommands(program);
  registerStatusCommand(program);
  registerDiscoverCommand(program);
  registerSourceCommand(program);
  registerServeCommand(program);
  registerDemoCommand(program);
  registerSimulatorCommand(program);
  registerReconcileCommand(program);
  registerAuditCommand(program);
  registerSignCommand(program);
  registerVerifyCommand(program);
  registerQuarantineCommand(program);
  registerSealCommand(program);
  registerCheckCommand(program);
  return program;
}
