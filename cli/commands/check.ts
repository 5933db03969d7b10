/**
 * `licbridge check uscc|id|identifier VALUE`: validity and check character of a code, computed
 * with the standards' algorithms (GB 32100, GB 11643, GB/T 36904). Exits 1 when the code is invalid.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { type CodeKind, checkCode } from '../../pipelines/check-code.js';
import { EXIT_FAILED } from '../errors.js';

const KINDS: Record<CodeKind, string> = {
  uscc: 'unified social credit code (GB 32100), 18 characters or the first 17',
  id: 'resident ID number (GB 11643), 18 characters, the first 17, or a 15-digit one',
  identifier: 'license identifier (GB/T 36904)',
};

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'check a credit code, resident ID number or license identifier and print its check character',
    )
    .argument('<kind>', `uscc, id or identifier: ${Object.values(KINDS).join('; ')}`)
    .argument('<value>', 'the code')
    .option('--json', 'print JSON on stdout')
    .action((kind: string, value: string, opts: { json?: boolean }) => {
      // Own keys only: `in` also finds `toString`, and such a kind was checked as an identifier.
      if (!Object.hasOwn(KINDS, kind)) {
        throw new LicbridgeError(ErrorCodes.USAGE, `check: expected uscc, id or identifier, got \`${kind}\``);
      }
      const result = checkCode(kind as CodeKind, value);
      if (opts.json) process.stdout.write(`${terminalJson(result, 2)}\n`);
      else {
        const lines = [
          `${terminalLine(result.value)}: ${result.valid ? 'valid' : 'invalid'}${result.problem ? ` (${terminalLine(result.problem)})` : ''}`,
        ];
        if (result.checkChar !== undefined) lines.push(`check character: ${result.checkChar}`);
        if (result.completed !== undefined) lines.push(`complete: ${result.completed}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (!result.valid) process.exitCode = EXIT_FAILED;
    });
}
