/**
 * Mapping tests from data: the `*.test.yaml` files found under the given paths, each run against
 * its mapping and, when it names a catalog, license type and issuer, through the license mapper
 * as a pipeline would. A file that does not compile is reported, not thrown, so one broken file
 * does not hide the results of the others.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { parseYamlSource, problemAt } from '../catalog/yaml-source.js';
import { ConfigError, formatProblem } from '../core/errors.js';
import { utf8Text } from '../core/not-utf8.js';
import { compileMapping } from '../mappings/compile.js';
import { createLicenseMapper } from '../mappings/license-mapper.js';
import { type CaseResult, parseMappingTestFile, runMappingTests } from '../mappings/mapping-test.js';

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

export interface MappingTestFileResult {
  file: string;
  cases: CaseResult[];
  /** Set when the file, its mapping or its catalog does not compile. */
  problems?: string[];
}

export interface MappingTestSummary {
  files: number;
  passed: number;
  failed: number;
  /** Files that do not compile. */
  broken: number;
}

/**
 * Runs `create`, locating the problems it throws at their keys in the test file: the license
 * mapper names a pipeline's `pipelines.<name>.licenseType` in the config, where a test file has
 * `licenseType`, `issuer.code` and `areaCode` at its top.
 */
function locatedIn<T>(text: string, file: string, pipeline: string, create: () => T): T {
  try {
    return create();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const src = parseYamlSource(text, file);
    const prefix = `pipelines.${pipeline}.`;
    throw new ConfigError(
      e.problems.map((p) =>
        p.file === file && p.path.startsWith(prefix)
          ? problemAt(src, p.path.slice(prefix.length).split('.'), p.message)
          : p,
      ),
    );
  }
}

/** Catalogs by folder: test files side by side share one catalog, loaded once. */
async function runFile(
  file: string,
  catalogs: Map<string, Promise<Catalog>>,
): Promise<MappingTestFileResult> {
  try {
    // A GBK test file would feed its rows' Chinese text as U+FFFD (core/not-utf8.ts).
    const { text, problem } = utf8Text(await readFile(file), file);
    if (problem) throw new ConfigError([problem]);
    const spec = parseMappingTestFile(text, file);
    const mapping = await compileMapping(resolve(dirname(file), spec.mapping));
    let mapper: ReturnType<typeof createLicenseMapper> | undefined;
    const { licenseType, issuer } = spec;
    if (spec.catalog !== undefined && licenseType !== undefined && issuer !== undefined) {
      const folder = resolve(dirname(file), spec.catalog);
      let catalog = catalogs.get(folder);
      if (!catalog) {
        catalog = loadCatalog(folder);
        catalogs.set(folder, catalog);
      }
      const loaded = await catalog;
      mapper = locatedIn(text, file, spec.pipeline, () =>
        createLicenseMapper({
          pipeline: spec.pipeline,
          sourceName: 'mapping-test',
          mapping,
          catalog: loaded,
          licenseType,
          issuer,
          configFile: file,
          ...(spec.areaCode === undefined ? {} : { areaCode: spec.areaCode }),
          ...(spec.today === undefined ? {} : { today: () => spec.today as string }),
          ...(spec.timeZone === undefined ? {} : { timeZone: spec.timeZone }),
          // As the pipeline it stands for: `expiry: false` maps with no derived expiry on any day.
          expiry: spec.expiry !== false,
        }),
      );
    }
    return { file, cases: runMappingTests(spec, mapping, mapper) };
  } catch (e) {
    if (e instanceof ConfigError) return { file, cases: [], problems: e.problems.map(formatProblem) };
    return { file, cases: [], problems: [`${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/**
 * Runs every mapping test file under `roots` (files or folders, resolved against the working
 * directory), in path order. A root that cannot be read is a ConfigError naming it.
 */
export async function runMappingTestFiles(
  roots: readonly string[],
): Promise<{ summary: MappingTestSummary; results: MappingTestFileResult[] }> {
  const files: string[] = [];
  for (const root of roots) {
    try {
      files.push(...(await findTestFiles(resolve(root))));
    } catch {
      throw new ConfigError(
        [{ file: root, line: 1, column: 1, path: '', message: 'test path is not readable' }],
        { context: { read: 'the test paths given' } },
      );
    }
  }
  const catalogs = new Map<string, Promise<Catalog>>();
  const results: MappingTestFileResult[] = [];
  for (const file of files) results.push(await runFile(file, catalogs));
  const cases = results.flatMap((r) => r.cases);
  const passed = cases.filter((c) => c.passed).length;
  const broken = results.filter((r) => r.problems).length;
  return { summary: { files: files.length, passed, failed: cases.length - passed, broken }, results };
}
