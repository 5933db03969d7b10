/**
 * The province REST/JSON batch: request items (the platform record, shared/platform-license.ts, with
 * its delivery key and signature) and the documented answer.
 */

import type { LicbridgeError } from '../../../core/errors.js';
import { answerCode } from '../shared/answer-code.js';
import { type CodeLists, NATIONAL_CODES } from '../shared/code-lists.js';
import { idText, parseKeepingIds } from '../shared/exact-ids.js';
import { isBusyCode } from '../shared/http-failure.js';
import { type PlatformLicense, toPlatformLicense } from '../shared/platform-license.js';
import type { DeliveredSignature, DeliveryItem } from '../target.js';

export interface BatchRequestItem {
  key: string;
  operation: string;
  license: PlatformLicense;
  signature: DeliveredSignature;
}

export interface BatchRequest {
  items: BatchRequestItem[];
}

export function toBatchItem(item: DeliveryItem, codes: CodeLists = NATIONAL_CODES): BatchRequestItem {
  const license = toPlatformLicense(item.license, item.operation, codes, item.version);
  return {
    key: item.key,
    operation: license.czlx,
    license,
    signature: {
      algorithm: item.signature.algorithm,
      value: item.signature.value,
      digest: item.signature.digest,
      sealId: item.signature.sealId,
      // Named only when not the default id (target.ts): a platform needs it to compute Z.
      ...(item.signature.distId === undefined ? {} : { distId: item.signature.distId }),
    },
  };
}

export interface BatchResponseResult {
  key: string;
  status: string;
  platformId?: string | null;
  errors?: string[];
  duplicate?: boolean;
}

export interface BatchResponse {
  code: number;
  batchId?: string;
  results: BatchResponseResult[];
  /**
   * The results that could not be read (a `status` or `key` that is not text), each as where and
   * what was wrong (`results[2].status is null, not text`), never the value (a platform may echo
   * the record into it); `key` when the result's own key could be read.
   */
  unreadable?: UnreadableResult[];
}

export interface UnreadableResult {
  key?: string;
  problem: string;
}

/** A platform's answer as read: every result of each key, and the refusal of the keys without one. */
export interface Answer {
  results: Map<string, BatchResponseResult[]>;
  batchId: string | undefined;
  /**
   * A batch answered with a non-zero code and per-item results ({@link answersPerItem}): the
   * refusal of the request, which an item without a result fails by (./outcome.ts itemOutcome).
   */
  refused?: LicbridgeError;
  /** The results that could not be read, by key when theirs could be ({@link BatchResponse}). */
  unreadable?: readonly UnreadableResult[];
}

/**
 * Whether a batch answer's non-zero `code` leaves its per-item results standing (`2`, "partly
 * accepted"): not a busy code (the request is sent again after Retry-After), refused credentials
 * (401, 403) or a request too large (413, sent again in halves), which are the whole request's
 * whatever results come with them.
 */
export function answersPerItem(code: number): boolean {
  return code !== 0 && !isBusyCode(code) && code !== 401 && code !== 403 && code !== 413;
}

/**
 * The answer fields that hold the platform's ids: read as text, with every digit of a 64-bit
 * integer id (shared/exact-ids.ts).
 */
export const PLATFORM_ID_KEYS: ReadonlySet<string> = new Set(['platformId', 'batchId']);

/**
 * An item's `duplicate`: `true`, or as platforms with string-typed result fields write it, `"true"`
 * or the digit `1` (a number or a string). Only `true` was read, so a license the platform already
 * held was recorded accepted outright (as the SOAP target's `xs:boolean` `1` was: answer.ts).
 */
function isDuplicate(flag: unknown): boolean {
  if (flag === true || flag === 1) return true;
  return typeof flag === 'string' && /^(true|1)$/i.test(flag.trim());
}

/** Parses a 200 answer; `undefined` when it is not the documented shape. */
export function parseBatchResponse(text: string): BatchResponse | undefined {
  let doc: unknown;
  try {
    doc = parseKeepingIds(text, PLATFORM_ID_KEYS);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { code: given, batchId, results } = doc as Record<string, unknown>;
  // A number, or its digits as a string: a `"0"` read as no code failed every batch the platform took.
  const c = answerCode(given);
  if (c === undefined) return undefined;
  const list = Array.isArray(results) ? results : [];
  const parsed: BatchResponseResult[] = [];
  const unreadable: UnreadableResult[] = [];
  for (const [i, r] of list.entries()) {
    // Skipped without a word, such a result left its license "answered without a result", retried
    // and dead-lettered with nothing to say what the platform had sent.
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      unreadable.push({ problem: `results[${i}] is ${kindOf(r)}, not an object` });
      continue;
    }
    const { key, status, platformId, errors, duplicate } = r as Record<string, unknown>;
    if (typeof key !== 'string') {
      unreadable.push({ problem: `results[${i}].key is ${kindOf(key)}, not text` });
      continue;
    }
    if (typeof status !== 'string') {
      unreadable.push({ key, problem: `results[${i}].status is ${kindOf(status)}, not text` });
      continue;
    }
    parsed.push({
      key,
      status,
      // A string, or an integer as its digits (snowflake ids past 2^53 kept exact).
      platformId: idText(platformId),
      // An error given as an object (`{ field, message }`), or one error given alone instead of a
      // list, keeps its text for the dead letter; a null one says nothing (not the reason `null`).
      errors: (Array.isArray(errors) ? errors : [errors]).flatMap((e: unknown) =>
        e === undefined || e === null ? [] : [typeof e === 'string' ? e : JSON.stringify(e)],
      ),
      duplicate: isDuplicate(duplicate),
    });
  }
  const batch = idText(batchId);
  return {
    code: c,
    ...(batch ? { batchId: batch } : {}),
    results: parsed,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** A JSON value's kind as a message names it: `null`, `a number`, `an object`, `missing`; never the value. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type === 'bigint' ? 'number' : type}`;
}

/** The results an answer could not read, kept for the outcome of the keys without one (./outcome.ts). */
export function unreadableOf(parsed: BatchResponse): Pick<Answer, 'unreadable'> {
  return parsed.unreadable ? { unreadable: parsed.unreadable } : {};
}
