/**
 * How a version's lineage is stored in `license_versions.lineage`. A version reads back as it was
 * written; the text is kept small, as it is one of every version:
 * - `pipeline` and `runId` are, for almost every version, the row's own `pipeline` and `run_id`
 *   columns: the text keeps them only where they differ (migration 016, ~80 bytes);
 * - the other fields go under one-letter names, and a catalog or mapping version that is a SHA-256
 *   in hex (as the loader gives them) as its 32 bytes in base64url, `C`/`M` instead of `c`/`m`
 *   (migration 019, ~80 bytes).
 * Text in an earlier form (full names, some or all fields present) reads the same.
 */
import type { Lineage } from '../catalog/license.js';
import { parseJson } from './db.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The names a stored lineage uses, short and full; anything else is carried as it is. */
const NAMES = [
  'pipeline',
  'runId',
  'source',
  'sourceKey',
  'catalogVersion',
  'mappingVersion',
  's',
  'k',
  'c',
  'C',
  'm',
  'M',
];

/** The column text of `lineage` on a row whose `pipeline` and `run_id` are the ones given. */
export function lineageColumn(lineage: Lineage, pipeline: string, runId: string): string {
  return JSON.stringify(lineageFields(lineage, pipeline, runId));
}

/**
 * The members of {@link lineageColumn}'s text, before it is written as text: a page's commit splits
 * them between the row and its context (ledger/version-context.ts splitVersionFields) without
 * writing the whole text and parsing it back, once a version.
 */
export function lineageFields(lineage: Lineage, pipeline: string, runId: string): Record<string, unknown> {
  const {
    pipeline: ownPipeline,
    runId: ownRunId,
    source,
    sourceKey,
    catalogVersion,
    mappingVersion,
    ...rest
  } = lineage;
  return {
    s: source,
    k: sourceKey,
    ...version('c', 'C', catalogVersion),
    ...version('m', 'M', mappingVersion),
    ...(ownPipeline === pipeline ? {} : { pipeline: ownPipeline }),
    ...(ownRunId === runId ? {} : { runId: ownRunId }),
    ...rest,
  };
}

/**
 * The column text in the form before migration 019 (full names; `pipeline` and `runId` left out
 * where the row's columns hold them): what 019's down migration writes back.
 */
export function fullNamesLineageColumn(lineage: Lineage, pipeline: string, runId: string): string {
  const { pipeline: ownPipeline, runId: ownRunId, ...rest } = lineage;
  return JSON.stringify({
    ...(ownPipeline === pipeline ? {} : { pipeline: ownPipeline }),
    ...rest,
    ...(ownRunId === runId ? {} : { runId: ownRunId }),
  });
}

/**
 * The lineage of a row from its column text and its `pipeline` and `run_id`, fields in the
 * lineage's own order; `context` is the text of the row's `version_contexts.lineage`, the fields
 * every version of its run shares (ledger/version-context.ts), when it names one.
 */
export function readLineage(
  text: unknown,
  pipeline: string,
  runId: string,
  context?: string | null,
): Lineage {
  const stored = {
    ...(context ? parseJson<Record<string, unknown>>(context) : {}),
    ...parseJson<Record<string, unknown>>(text),
  };
  const source = stored.source ?? stored.s;
  const sourceKey = stored.sourceKey ?? stored.k;
  const catalogVersion = stored.catalogVersion ?? stored.c ?? hexOf(stored.C);
  const mappingVersion = stored.mappingVersion ?? stored.m ?? hexOf(stored.M);
  const rest = Object.fromEntries(Object.entries(stored).filter(([name]) => !NAMES.includes(name)));
  return {
    pipeline: stored.pipeline ?? pipeline,
    ...(source === undefined ? {} : { source }),
    ...(sourceKey === undefined ? {} : { sourceKey }),
    runId: stored.runId ?? runId,
    ...(catalogVersion === undefined ? {} : { catalogVersion }),
    ...(mappingVersion === undefined ? {} : { mappingVersion }),
    ...rest,
  } as Lineage;
}

/**
 * SHA-256s already packed: every version of a page, and of a run, names the same catalog and
 * mapping versions, which were converted once a version. A few are kept, for the few in use.
 */
const packedShas = new Map<string, string>();

function version(plain: string, packed: string, value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (!SHA256_HEX.test(value)) return { [plain]: value };
  let text = packedShas.get(value);
  if (text === undefined) {
    text = Buffer.from(value, 'hex').toString('base64url');
    if (packedShas.size >= 16) packedShas.clear();
    packedShas.set(value, text);
  }
  return { [packed]: text };
}

function hexOf(packed: unknown): string | undefined {
  return typeof packed === 'string' ? Buffer.from(packed, 'base64url').toString('hex') : undefined;
}
