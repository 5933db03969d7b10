/**
 * `{ repairCharset: gb18030 }`: text a legacy system stored as GBK/GB18030 bytes in a latin1 column,
 * which the driver hands over as latin1 mojibake (`ÇàµºÊÐ` for 青岛市). The mojibake is turned back
 * into the original bytes — MySQL's latin1 is cp1252, so bytes 0x80–0x9F come as `€`, `†`, `™` …
 * (core/latin1-bytes.ts) — and decoded again with the named charset. Binary values are decoded directly. Text
 * holding a character no single byte decodes to is real text and passes unchanged, so a column
 * repaired upstream is not broken twice — except U+FFFD, which a driver puts where it could not
 * decode a byte (tedious reads a SQL Server Latin1 varchar as cp1252, which has no 0x81 0x8D 0x8F
 * 0x90 0x9D: GBK `垚`, 0x88 0x90, loses its second byte): those bytes are gone, and the text is
 * refused, as the source-level repair refuses it (connectors/repair/charset.ts), instead of passing
 * as real Unicode. Bytes that do not decode are refused, never guessed at.
 * GBK and cp936 data decode as GB18030, a superset (reference/STANDARDS.md §6).
 */
import iconv from 'iconv-lite';
import { decodeText, gbDecodeLabel } from '../core/gb18030-2022.js';
import { driverReplacedProblem, latin1Bytes } from '../core/latin1-bytes.js';
import { MAX_TEXT_LENGTH } from './input-guard.js';
import { fail, ok, typeName } from './step.js';
import type { TransformDefinition } from './transforms.js';
import type { MapValue, StepOutcome } from './types.js';

// Plain ASCII decodes the same in every charset here: nothing to repair.
const ASCII_ONLY = /^[^\u0080-\uFFFF]*$/;

function decode(bytes: Uint8Array, encoding: string): StepOutcome {
  const text = decodeText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
  // iconv-lite turns invalid or truncated sequences into U+FFFD: the bytes were not this charset.
  if (text.includes('\uFFFD')) {
    return fail(
      'LB_MAP_ENCODING',
      `bytes are not valid ${encoding}; repair at the source instead: sources.<name>.charset { repair: [columns], from: ${encoding} } (docs/connectors.md)`,
    );
  }
  return ok(text);
}

export const charsetRepair: TransformDefinition = {
  argument: 'required',
  rawInput: true,
  description: 'decode latin1 mojibake (or binary) as the named charset, e.g. gb18030',
  compile(arg) {
    // A GB name is looked up in the label table first: iconv-lite knows no `x-mswin-936`.
    const encoding = typeof arg === 'string' ? gbDecodeLabel(arg) : null;
    if (encoding === null || !iconv.encodingExists(encoding)) {
      return 'expected a charset iconv-lite knows, e.g. gb18030, big5';
    }
    const step = (value: MapValue): StepOutcome => {
      if (value === null || typeof value === 'number' || typeof value === 'boolean') return ok(value);
      // Bound the work before decoding; the input checks that follow see the decoded text.
      if ((typeof value === 'string' || value instanceof Uint8Array) && value.length > MAX_TEXT_LENGTH * 4) {
        return fail(
          'LB_MAP_TOO_LONG',
          `value of ${value.length} chars or bytes exceeds ${MAX_TEXT_LENGTH * 4}`,
        );
      }
      if (value instanceof Uint8Array) return decode(value, encoding);
      if (typeof value === 'string') {
        if (ASCII_ONLY.test(value)) return ok(value);
        const problem = driverReplacedProblem(value);
        if (problem) return fail('LB_MAP_ENCODING', problem);
        const bytes = latin1Bytes(value);
        return bytes === null ? ok(value) : decode(bytes, encoding);
      }
      return fail('LB_MAP_TYPE', `repairCharset expects text or bytes, got ${typeName(value)}`);
    };
    return step;
  },
};
