/**
 * Checking the license catalog: every entry loads and compiles (loadCatalog throws a ConfigError
 * naming file:line:col otherwise) and, against a config, every pipeline's license type is in it.
 */
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Config } from '../config/types.js';
import { ConfigError, type Problem } from '../core/errors.js';

/** The pipelines of `config` whose license type `catalog` (loaded from `folder`) lacks, as problems. */
function missingLicenseTypes(config: Readonly<Config>, catalog: Catalog, folder: string): Problem[] {
  return Object.entries(config.pipelines)
    .filter(([, p]) => !catalog.get(p.licenseType))
    .map(([name, p]) => ({
      file: config.file,
      line: 1,
      column: 1,
      path: `pipelines.${name}.licenseType`,
      message: `license type ${p.licenseType} is not in the catalog ${folder}`,
    }));
}

/**
 * Loads the catalog of `folder`; with a config, also refuses it when a pipeline names a type the
 * catalog lacks, which would otherwise fail only at that pipeline's first run.
 */
export async function checkCatalog(folder: string, config?: Readonly<Config>): Promise<Catalog> {
  const catalog = await loadCatalog(folder);
  if (config) {
    const problems = missingLicenseTypes(config, catalog, folder);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return catalog;
}
