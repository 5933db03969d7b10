/**
 * The checkpoint format of the connectors that resume from a keyset position (the SQL
 * connector; the XML connector keeps its file and record inside the same pair): `{"v":1,
 * "cursor":…,"key":…}`. Version 1 is also what ledger migration 022 wrote for checkpoints stored
 * as a (cursor, key) pair before checkpoints were opaque.
 */
import type { Checkpoint, KeyPosition } from '../core/checkpoint.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';

export const KEY_POSITION_VERSION = 1;

export function encodeKeyPosition(position: KeyPosition): Checkpoint {
  return JSON.stringify({ v: KEY_POSITION_VERSION, cursor: position.cursor, key: position.key });
}

/**
 * "No keyed row read yet": `{"v":1,"cursor":null,"key":null}`. A page can hold only rows without a
 * key (the SQL connector reads them apart from the keyset, sql-source.ts) before any row with one
 * was read; its checkpoint must still say "from the start".
 */
export const START_POSITION: Checkpoint = JSON.stringify({
  v: KEY_POSITION_VERSION,
  cursor: null,
  key: null,
});

/** The position, or START_POSITION for null. */
export function encodeResumePoint(position: KeyPosition | null): Checkpoint {
  return position === null ? START_POSITION : encodeKeyPosition(position);
}

/** As `decodeKeyPosition`, also reading START_POSITION back, as null (read from the start). */
export function decodeResumePoint(checkpoint: Checkpoint, source: string): KeyPosition | null {
  if (isStart(checkpoint)) return null;
  return decodeKeyPosition(checkpoint, source);
}

function isStart(checkpoint: Checkpoint): boolean {
  try {
    const o = JSON.parse(checkpoint) as Record<string, unknown> | null;
    return (
      o !== null &&
      typeof o === 'object' &&
      o.v === KEY_POSITION_VERSION &&
      o.cursor === null &&
      o.key === null
    );
  } catch {
    return false;
  }
}

function parsed(checkpoint: Checkpoint): KeyPosition | { version: unknown } | null {
  let v: unknown;
  try {
    v = JSON.parse(checkpoint);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (o.v !== KEY_POSITION_VERSION) return { version: o.v };
  if (typeof o.key !== 'string' || (o.cursor !== null && typeof o.cursor !== 'string')) return null;
  return { cursor: o.cursor, key: o.key };
}

/**
 * The position inside a checkpoint this format wrote. Anything else — another version, another
 * connector's text, damage — is refused, naming the source: resuming from a misread position
 * would skip or repeat rows. `licbridge source forget <source>` starts the source over.
 */
export function decodeKeyPosition(checkpoint: Checkpoint, source: string): KeyPosition {
  const p = parsed(checkpoint);
  if (p !== null && 'key' in p) return p;
  const what =
    p === null
      ? 'is not a checkpoint this connector wrote'
      : `has format version ${JSON.stringify(p.version)}, not ${KEY_POSITION_VERSION}`;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${source}: the stored checkpoint ${what}; it was written by another connector or another licbridge version — run \`licbridge source forget ${source}\` to read the source from the start`,
    { context: { source } },
  );
}

/**
 * A checkpoint of this format with its row key passed through `mask`, for `licbridge status`
 * (pipelines/observability/checkpoint-key.ts); any other text as it is. An XML source's key-only
 * position (`["<file>", <index>, "<row key>", …]`) keeps its file and record index, which tell
 * progress; only the row key inside is masked.
 */
export function maskCheckpointKey(checkpoint: Checkpoint, mask: (key: string) => string): Checkpoint {
  if (isStart(checkpoint)) return checkpoint;
  const p = parsed(checkpoint);
  if (p === null || !('key' in p)) return checkpoint;
  return encodeKeyPosition({ cursor: p.cursor, key: maskXmlRowKey(p.key, mask) ?? mask(p.key) });
}

function maskXmlRowKey(key: string, mask: (key: string) => string): string | null {
  if (!key.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(key);
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[2] === 'string')
      return JSON.stringify([v[0], v[1], mask(v[2]), ...v.slice(3)]);
  } catch {
    // Not the XML position: masked whole.
  }
  return null;
}

/**
 * A checkpoint as `licbridge status` shows it: `cursor / key k` for a position, else its text.
 * Formatting only: the status report has masked the key (`maskCheckpointKey`).
 */
export function describeCheckpoint(checkpoint: Checkpoint): string {
  if (isStart(checkpoint)) return 'start (no keyed row read yet)';
  const p = parsed(checkpoint);
  return p !== null && 'key' in p ? `${p.cursor ?? '-'} / key ${p.key}` : checkpoint;
}
