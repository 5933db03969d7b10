/**
 * A pipeline's checkpoint as `licbridge status` reports it (text and `--json`). It holds the key of
 * the last row read, and the key column may hold a holder's ID, passport number or name, which no
 * shape tells: the key is always masked. A resident ID or mobile number as everywhere else
 * (`maskPersonalShapes`: `1101**********002X`, `*******8000`); any other key as an ID number is
 * (`maskId`: up to four characters at each end of a key of nine or more, none of a shorter one).
 * The cursor, an XML source's file and record index, and the lag line tell progress; ID and
 * mobile number shapes in them are masked too.
 */
import { maskPersonalShapes } from '../../catalog/personal.js';
import { maskCheckpointKey } from '../../connectors/key-position.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { maskId } from '../../core/mask.js';

function maskedKey(key: string): string {
  const shaped = maskPersonalShapes(key);
  return shaped !== key ? shaped : maskId(key);
}

export function maskedCheckpoint(checkpoint: Checkpoint): string {
  return maskPersonalShapes(maskCheckpointKey(checkpoint, maskedKey));
}
