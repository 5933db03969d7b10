/**
 * `licbridge test [paths…]`: runs the mapping test files (`*.test.yaml`) found under the paths
 * (default: the current folder), like a test runner. Exit 0 when every case passes, 1 when a
 * case fails, 2 when a test file, mapping or catalog does not compile. Finding and running the
 * files is pipelines/mapping-tests.ts; this prints and sets the exit code.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { type MappingTestFileResult, runMappingTestFiles } from '../../pipelines/mapping-tests.js';
import { EXIT_FAILED, EXIT_USAGE } from '../errors.js';

function printText(results: readonly MappingTestFileResult[]): void {
  const out = process.stdout;
  for (const r of results) {
    // Case names, expected values and file names are the test file's text: shown, never obeyed.
    out.write(`${terminalLine(relative(process.cwd(), r.file) || r.file)}\n`);
    for (const p of r.problems ?? []) out.write(`  ! ${terminalLine(p)}\n`);
    for (const c of r.cases) {
      out.write(`  ${c.passed ? '✓' : '✗'} ${terminalLine(c.name)}${c.passed ? '' : ` (line ${c.line})`}\n`);
      for (const m of c.messages) out.write(`      ${terminalLine(m)}\n`);
    }
  }
}

export function registerMappingTestCommand(program: Command): void {
  program
    .command('test')
    .description('run the mapping tests (*.test.yaml) kept next to mappings; exit 1 when a case fails')
    .argument('[paths...]', 'test files or folders to search (default: the current folder)')
    .option('--json', 'print the results as JSON')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const { summary, results } = await runMappingTestFiles(paths.length > 0 ? paths : ['.']);
      const { files, passed, broken } = summary;
      if (opts.json) process.stdout.write(`${terminalJson({ ...summary, results })}\n`);
      else {
        printText(results);
        const tail = broken > 0 ? `, ${broken} file(s) that do not compile` : '';
        process.stdout.write(`\n${passed} passed, ${summary.failed} failed in ${files} file(s)${tail}\n`);
      }
      if (files === 0) process.stderr.write('licbridge test: no *.test.yaml files found\n');
      if (broken > 0) process.exitCode = EXIT_USAGE;
      else if (summary.failed > 0 || files === 0) process.exitCode = EXIT_FAILED;
    });
}
