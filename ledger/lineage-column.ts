/**
 * How a version's lineage is stored in `license_versions.lineage` (migration 016). The lineage's
 * `pipeline` and `runId` are, for almost every version, the row's own `pipeline` and `run_id`
 * columns: kept twice they were ~80 bytes of every version. The column keeps them only where they
 * differ from the row's, and reading puts them back, so a version reads as it was written.
 */
import type { Lineage } from '../catalog/license.js';
import { parseJson } from './db.js';

/** The column text of `lineage` on a row whose `pipeline` and `run_id` are the ones given. */
export function lineageColumn(lineage: Lineage, pipeline: string, runId: string): string {
  const { pipeline: ownPipeline, runId: ownRunId, ...rest } = lineage;
  return JSON.stringify({
    ...(ownPipeline === pipeline ? {} : { pipeline: ownPipeline }),
    ...rest,
    ...(ownRunId === runId ? {} : { runId: ownRunId }),
  });
}

/**
 * The lineage of a row from its column text and its `pipeline` and `run_id`; text written before
 * migration 016 (every field present) reads the same. Fields come out in the lineage's own order.
 */
export function readLineage(text: unknown, pipeline: string, runId: string): Lineage {
  const stored = parseJson<Partial<Lineage> & Record<string, unknown>>(text);
  const {
    pipeline: ownPipeline,
    source,
    sourceKey,
    runId: ownRunId,
    catalogVersion,
    mappingVersion,
    ...rest
  } = stored;
  return {
    pipeline: ownPipeline ?? pipeline,
    ...(source === undefined ? {} : { source }),
    ...(sourceKey === undefined ? {} : { sourceKey }),
    runId: ownRunId ?? runId,
    ...(catalogVersion === undefined ? {} : { catalogVersion }),
    ...(mappingVersion === undefined ? {} : { mappingVersion }),
    ...rest,
  } as Lineage;
}
