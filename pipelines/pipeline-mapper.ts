/**
 * A pipeline's license mapper as its config makes it, one construction for a run (runtime.ts:
 * extract, reconcile, a repair's and an upheld objection's re-read) and `licbridge preview`, so a
 * row maps the same way in each: today and an instant's day in `lifecycle.timeZone` (or
 * LICBRIDGE_TODAY), derived expiry as the pipeline's `expiry` says.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config/types.js';
import { createLicenseMapper, type LicenseMapper } from '../mappings/license-mapper.js';
import type { CompiledMapping } from '../mappings/types.js';
import { lifecycleSettings, lifecycleToday } from './lifecycle/settings.js';

export interface PipelineMapper {
  mapper: LicenseMapper;
  /**
   * The day the mapper maps on (`before: today`, and derived expiry unless the pipeline's `expiry`
   * is off); given the ledger's time, that time's day, and the day by the ledger's clock from then
   * on (lifecycle/settings.ts `lifecycleToday`).
   */
  today: (ledgerNow?: Date) => string;
}

/** The mapper of pipeline `name` of `config` (which must hold it), over its compiled mapping and the catalog. */
export function pipelineMapper(
  config: Readonly<Config>,
  name: string,
  mapping: CompiledMapping,
  catalog: Catalog,
): PipelineMapper {
  const p = config.pipelines[name];
  if (!p) throw new Error(`pipelineMapper: no pipeline \`${name}\` in ${config.file}`);
  // Conditions on `today` see the configured zone's day with expiry off too, and take an instant's
  // day in that zone.
  const today = lifecycleToday(config);
  const mapper = createLicenseMapper({
    pipeline: name,
    sourceName: p.source,
    mapping,
    catalog,
    licenseType: p.licenseType,
    issuer: p.issuer,
    configFile: config.file,
    ...(p.areaCode === undefined ? {} : { areaCode: p.areaCode }),
    today,
    timeZone: lifecycleSettings(config).timeZone,
    expiry: p.expiry !== false,
  });
  return { mapper, today };
}
