/**
 * `licbridge audit config`: the configurations the audit chain records (`config` entries,
 * pipelines/config-audit.ts), each with the parts that changed since the one before: added,
 * removed, or with another digest. Read only, as the other audit commands: the ledger is never
 * migrated.
 */
import type { Config } from '../config/types.js';
import type { Logger } from '../core/logger.js';
import { withLedger } from './with-ledger.js';

export interface ConfigChangeEntry {
  seq: number;
  at: string;
  actor: string;
  /** SM3 of the JCS object of the parts' digests. */
  digest: string | null;
  /** Part id -> SM3, as recorded. */
  parts: Record<string, string>;
  /** Parts new since the entry before (every part, for the first entry). */
  added: string[];
  /** Parts the entry before had and this one has not. */
  removed: string[];
  /** Parts in both whose digest differs. */
  changed: string[];
  /** Only on an entry whose columns hold what no licbridge writer writes: those columns, their values shown as text. */
  malformed?: string[];
}

export async function configChangeList(
  config: Readonly<Config>,
  logger: Logger,
): Promise<ConfigChangeEntry[]> {
  const entries = await withLedger(config, (ledger) => ledger.configChanges.list(), {
    logger,
    migrate: false,
  });
  // Part ids are names the config chose: own members only, so `toString` or `constructor` is a part
  // like any other, not found on Object.prototype (and `__proto__` is kept, not taken as one).
  let before: Record<string, string> = Object.create(null);
  return entries.map((e) => {
    const parts = recordedParts(e.detail);
    const entry: ConfigChangeEntry = {
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      digest: e.digest,
      parts,
      added: Object.keys(parts).filter((p) => !Object.hasOwn(before, p)),
      removed: Object.keys(before).filter((p) => !Object.hasOwn(parts, p)),
      changed: Object.keys(parts).filter((p) => Object.hasOwn(before, p) && before[p] !== parts[p]),
      ...(e.malformed === undefined ? {} : { malformed: e.malformed }),
    };
    before = parts;
    return entry;
  });
}

/** The detail's string members: a detail that is not a JSON object names no part. */
function recordedParts(detail: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return Object.create(null);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return Object.create(null);
  const parts: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') parts[k] = v;
  return parts;
}
