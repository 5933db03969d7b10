/**
 * Checking the license catalog: every entry loads and compiles (loadCatalog throws a ConfigError
 * naming file:line:col otherwise) and, against a config, every pipeline's license type is in it.
 */
import { readFile } from 'node:fs/promises';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { parseYamlSource, problemAt } from '../catalog/yaml-source.js';
import type { Config } from '../config/types.js';
import { ConfigError, type Problem } from '../core/errors.js';

/**
 * The pipelines of `config` whose license type `catalog` (loaded from `folder`) lacks, as problems
 * located at each pipeline's `licenseType:` in the config file, as `config check` locates them (the
 * file's first line when it cannot be read again).
 */
async function missingLicenseTypes(
  config: Readonly<Config>,
  catalog: Catalog,
  folder: string,
): Promise<Problem[]> {
  const missing = Object.entries(config.pipelines).filter(([, p]) => !catalog.get(p.licenseType));
  if (missing.length === 0) return [];
  const text = await readFile(config.file, 'utf8').catch(() => undefined);
  const src = text === undefined ? undefined : parseYamlSource(text, config.file);
  return missing.map(([name, p]) => {
    const path = ['pipelines', name, 'licenseType'];
    const message = `license type ${p.licenseType} is not in the catalog ${folder}`;
    return src
      ? problemAt(src, path, message)
      : { file: config.file, line: 1, column: 1, path: path.join('.'), message };
  });
}

/**
 * Loads the catalog of `folder`; with a config, also refuses it when a pipeline names a type the
 * catalog lacks, which would otherwise fail only at that pipeline's first run.
 */
export async function checkCatalog(folder: string, config?: Readonly<Config>): Promise<Catalog> {
  const catalog = await loadCatalog(folder);
  if (config) {
    const problems = await missingLicenseTypes(config, catalog, folder);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return catalog;
}
