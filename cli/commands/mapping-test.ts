/**
 * `licbridge test [paths…]`: runs the mapping test files (`*.test.yaml`) found under the paths
 * (default: the current folder), like a test runner. Exit 0 when every case passes, 1 when a
 * case fails, 2 when a test file, mapping or catalog does not compile.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { ConfigError, formatProblem } from '../../core/errors.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { type CaseResult, parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';
import { EXIT_FAILED, EXIT_USAGE } from '../errors.js';

const TEST_FILE = /\.test\.ya?ml$/i;
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-bench', 'coverage']);

async function findTestFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (entry.isDirectory() && !SKIP.has(entry.name))
      out.push(...(await findTestFiles(join(path, entry.name))));
    else if (entry.isFile() && TEST_FILE.test(entry.name)) out.push(join(path, entry.name));
  }
  return out;
}

interface FileResult {
  file: string;
  cases: CaseResult[];
  /** Set when the file, its mapping or its catalog does not compile. */
  problems?: string[];
}

async function runFile(file: string, catalogs: Map<string, Promise<Catalog>>): Promise<FileResult> {
  try {
    const spec = parseMappingTestFile(await readFile(file, 'utf8'), file);
    const mapping = await compileMapping(resolve(dirname(file), spec.mapping));
    let mapper: ReturnType<typeof createLicenseMapper> | undefined;
    if (spec.catalog !== undefined && spec.licenseType !== undefined && spec.issuer !== undefined) {
      const folder = resolve(dirname(file), spec.catalog);
      let catalog = catalogs.get(folder);
      if (!catalog) {
        catalog = loadCatalog(folder);
        catalogs.set(folder, catalog);
      }
      mapper = createLicenseMapper({
        pipeline: spec.pipeline,
        sourceName: 'mapping-test',
        mapping,
        catalog: await catalog,
        licenseType: spec.licenseType,
        issuer: spec.issuer,
        configFile: file,
        ...(spec.areaCode === undefined ? {} : { areaCode: spec.areaCode }),
        ...(spec.today === undefined ? {} : { today: () => spec.today as string }),
      });
    }
    return { file, cases: runMappingTests(spec, mapping, mapper) };
  } catch (e) {
    if (e instanceof ConfigError) return { file, cases: [], problems: e.problems.map(formatProblem) };
    return { file, cases: [], problems: [`${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

function printText(results: readonly FileResult[]): void {
  const out = process.stdout;
  for (const r of results) {
    out.write(`${relative(process.cwd(), r.file) || r.file}\n`);
    for (const p of r.problems ?? []) out.write(`  ! ${p}\n`);
    for (const c of r.cases) {
      out.write(`  ${c.passed ? '✓' : '✗'} ${c.name}${c.passed ? '' : ` (line ${c.line})`}\n`);
      for (const m of c.messages) out.write(`      ${m}\n`);
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
      const roots = paths.length > 0 ? paths : ['.'];
      const files: string[] = [];
      for (const root of roots) {
        try {
          files.push(...(await findTestFiles(resolve(root))));
        } catch {
          throw new ConfigError([
            { file: root, line: 1, column: 1, path: '', message: 'test path is not readable' },
          ]);
        }
      }
      const catalogs = new Map<string, Promise<Catalog>>();
      const results: FileResult[] = [];
      for (const file of files) results.push(await runFile(file, catalogs));
      const cases = results.flatMap((r) => r.cases);
      const passed = cases.filter((c) => c.passed).length;
      const broken = results.filter((r) => r.problems).length;
      const summary = { files: files.length, passed, failed: cases.length - passed, broken };
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...summary, results })}\n`);
      else {
        printText(results);
        const tail = broken > 0 ? `, ${broken} file(s) that do not compile` : '';
        process.stdout.write(
          `\n${passed} passed, ${summary.failed} failed in ${files.length} file(s)${tail}\n`,
        );
      }
      if (files.length === 0) process.stderr.write('licbridge test: no *.test.yaml files found\n');
      if (broken > 0) process.exitCode = EXIT_USAGE;
      else if (summary.failed > 0 || files.length === 0) process.exitCode = EXIT_FAILED;
    });
}
