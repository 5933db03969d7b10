/**
 * The xml-files checkpoint: the position (file name, record index) of the last record of a
 * committed page, inside the keyset format (../key-position.ts, version 1) whose `key` is the
 * row's key and `cursor` null for key-only streams, so the position rides as JSON in whichever
 * half is free:
 * - stream with a cursor: `cursor` = `["<file>", <index>, "<cursor value>", "<sha256>"]`, `key` = the row key;
 * - key-only stream:      `cursor` = null, `key` = `["<file>", <index>, "<row key>", "<sha256>"]`;
 * a fifth element `1` when records of the file were passed over for a later file (FilePosition),
 * else `0` before a sixth: the id of the read from the start the page belongs to (files-read.ts).
 * The cursor value and row key inside are for operators reading `licbridge status`. The SHA-256
 * is the file's as that page was read: an index means nothing in a file rewritten since, so a
 * resume reads such a file whole. Positions written before it was kept have three elements.
 */

import type { Checkpoint } from '../../core/checkpoint.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { decodeKeyPosition, encodeKeyPosition } from '../key-position.js';

export interface FilePosition {
  file: string;
  index: number;
  /** Lowercase hex SHA-256 of the file the index points into; absent in older positions. */
  sha256?: string;
  /**
   * Whether records of this file up to the index were passed over for newer ones in a file read
   * after it (a fifth element, `1`). That file may be rewritten before it is read: a resume then
   * reads this file whole, so those records are read again if they have become the latest.
   */
  passedOver?: boolean;
  /**
   * The read from the start (a `run --full` over a files-read record) whose pages these are, and
   * every run's resuming after it (a sixth element): a resume skips only the files it recorded.
   */
  fullRead?: string;
}

export function encodePosition(
  position: FilePosition,
  row: { key: string; cursor: string | null },
  withCursor: boolean,
): Checkpoint {
  const { sha256, passedOver, fullRead } = position;
  const flags = fullRead !== undefined ? [passedOver ? 1 : 0, fullRead] : passedOver ? [1] : [];
  const sha = sha256 === undefined ? [] : [sha256, ...flags];
  if (withCursor) {
    return encodeKeyPosition({
      cursor: JSON.stringify([position.file, position.index, row.cursor, ...sha]),
      key: row.key,
    });
  }
  return encodeKeyPosition({
    cursor: null,
    key: JSON.stringify([position.file, position.index, row.key, ...sha]),
  });
}

function parse(text: string): FilePosition | null {
  if (!text.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return null;
    const [file, index, , sha256, passedOver, fullRead] = v as unknown[];
    if (typeof file !== 'string' || typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      return null;
    }
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return { file, index };
    return {
      file,
      index,
      sha256,
      ...(passedOver === 1 ? { passedOver: true } : {}),
      ...(typeof fullRead === 'string' ? { fullRead } : {}),
    };
  } catch {
    return null;
  }
}

/** The position a checkpoint holds, whichever stream shape wrote it. */
export function decodePosition(checkpoint: Checkpoint, source: string): FilePosition {
  const pair = decodeKeyPosition(checkpoint, source);
  const found = (pair.cursor === null ? null : parse(pair.cursor)) ?? parse(pair.key);
  if (found) return found;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `xml-files ${source}: resume failed: the stored checkpoint is not an xml-files position (was the pipeline moved from another source kind?); run once with --full`,
    { context: { source } },
  );
}
