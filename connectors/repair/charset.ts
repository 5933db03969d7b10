/**
 * Charset repair for the most common legacy-database mojibake (STANDARDS §6, "Encodings"): a
 * Chinese application wrote GBK/cp936 bytes into a latin1 column, and every driver since hands the
 * bytes back decoded as latin1 — `ÖÐ¹ú` instead of `中国`. The bytes are still all there, one per
 * character, so they can be recovered exactly and decoded as what they really are.
 */
import { isGb18030Label } from '../../core/encoding-labels.js';
import { decodeText, gbDecodeLabel, unassignedFourByteCodes } from '../../core/gb18030-2022.js';
import { driverReplacedProblem, latin1Bytes, replacementCount } from '../../core/latin1-bytes.js';

export { latin1Bytes };

/**
 * The encodings a repair may name. GB18030 is a superset of GBK and cp936 and decodes both, by
 * GB 18030-2022 (core/gb18030-2022.ts), so `cp936` reads what `gbk` reads; neither has GB18030's
 * four-byte codes, which they refuse.
 */
export const REPAIR_ENCODINGS = ['gb18030', 'gbk', 'cp936', 'big5'] as const;
export type RepairEncoding = (typeof REPAIR_ENCODINGS)[number];

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, is what passes unchanged.
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const REPLACEMENT = '\ufffd';

export type CharsetOutcome = { ok: true; value: string } | { ok: false; message: string };

/**
 * Repairs one value. Plain ASCII and text that is already Unicode pass unchanged, so a repair
 * declared on a column that was converted since does no harm. Bytes that are not valid in
 * `encoding` fail — a row with a broken name must be quarantined, not delivered as `�`.
 */
export function repairText(value: string | Uint8Array, encoding: RepairEncoding): CharsetOutcome {
  let bytes: Buffer;
  if (typeof value === 'string') {
    if (ASCII_ONLY.test(value)) return { ok: true, value };
    // Bytes the driver already replaced with U+FFFD are gone (core/latin1-bytes.ts).
    const problem = driverReplacedProblem(value);
    if (problem) return { ok: false, message: problem };
    const recovered = latin1Bytes(value);
    if (!recovered) return { ok: true, value };
    bytes = recovered;
  } else {
    bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  const label = gbDecodeLabel(encoding);
  const decoded = decodeText(bytes, label);
  // iconv-lite turns every invalid or truncated sequence into U+FFFD; the recovered bytes held
  // none (U+FFFD is not a latin1 character), so any found here marks bytes the encoding rejects.
  // GBK and cp936 decode by GB 18030's table but have none of its four-byte codes. The label is
  // told by its letters and digits, as everywhere else (core/encoding-labels.ts): compared as
  // written, `GB-18030` refused every four-byte code as invalid.
  // A four-byte code that is no character in GB 18030 either decodes as U+FFFD: counted there once.
  const fourByte =
    label === 'gb18030' && !isGb18030Label(encoding)
      ? fourByteCodes(bytes) - unassignedFourByteCodes(bytes).length
      : 0;
  if (fourByte > 0 || decoded.includes(REPLACEMENT)) {
    const bad = replacementCount(decoded) + fourByte;
    return {
      ok: false,
      message: `${bad} invalid ${encoding} byte sequence${bad === 1 ? '' : 's'} in ${bytes.length} bytes`,
    };
  }
  return { ok: true, value: decoded };
}

/**
 * GB18030's four-byte codes in `bytes`, which GBK and cp936 do not have (a lead byte 0x81–0xFE,
 * then a digit; a two-byte code's second byte is never a digit).
 */
function fourByteCodes(bytes: Buffer): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i] as number;
    if (lead < 0x81 || lead > 0xfe) continue;
    const next = bytes[i + 1];
    if (next !== undefined && next >= 0x30 && next <= 0x39) {
      count++;
      i += 3;
    } else {
      i++;
    }
  }
  return count;
}
