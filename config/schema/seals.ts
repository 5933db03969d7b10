/**
 * Electronic seals (GB/T 38540): the seal files `licbridge seal make` writes, which signer signs
 * with each, and whether the seal may still be used. The rules (art. 18, 19) stop a revoked or
 * lost seal at once: its status here is checked before the first signature.
 */
import { closed, ISO_TIME_PATTERN, namedMap, nameRef, type Schema, str } from './builders.js';

const seal = closed(
  'An electronic seal: its seal file and the signer whose key and certificate sign with it.',
  {
    file: str(
      'Path of the seal file (DER `SESeal`, GB/T 38540 version 4, usually `.esl`), relative to this file. `licbridge seal make` writes it.',
    ),
    signer: nameRef(
      "The signer that signs with this seal: its certificate must be one the seal lists (the seal holder's), and its key stays wherever the signer keeps it (a signing server, or a local key).",
    ),
    status: {
      type: 'string',
      enum: ['active', 'revoked', 'lost'],
      default: 'active',
      description:
        'Whether the seal may sign: `revoked` (withdrawn, art. 18) and `lost` (reported lost, art. 19) stop every signature with it before the first one, naming the seal. `licbridge verify` reports the status of every file sealed with it (see `since`).',
    },
    since: str(
      'When the seal was revoked or reported lost: an ISO time with its zone (`2026-03-01T00:00:00+08:00`) naming a real day and time (30 February or hour 24 is a config problem). `licbridge verify` fails a file this seal signed after it and passes one signed before it with a note; without it, a file of a revoked or lost seal fails, as no one can tell on which side it was signed.',
      { pattern: ISO_TIME_PATTERN },
    ),
  },
  ['file', 'signer'],
);

export const seals: Schema = namedMap('Electronic seals (GB/T 38540), by name.', seal);
