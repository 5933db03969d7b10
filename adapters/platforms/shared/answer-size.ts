/**
 * How much of a platform's answer is read: what the answer to a request can legitimately hold,
 * and no more. Read whole, a platform, a gateway, or a proxy's or portal's endless page in front
 * of it grew the process until the timeout ended the request (or memory ran out first); a gzip
 * answer counts as what it unpacks to. Past the limit the HTTP client (axios `maxContentLength`)
 * stops reading, closes the connection and fails the request (./http-failure.ts `errorFromOversize`).
 */

/** Room for what an answer holds besides its items: code, batch id, a message, an error page, a SOAP envelope. */
const ENVELOPE_BYTES = 256 * 1024;
/**
 * Room for one item of an answer: a delivery outcome (its key, platform id and reasons) or one
 * license record as the platform holds it (its fields and surface), escaped and indented.
 */
const ITEM_BYTES = 64 * 1024;

/** The most bytes an answer carrying `items` outcomes or records is read to (0: a token's or another bare answer). */
export function platformAnswerLimit(items: number): number {
  return ENVELOPE_BYTES + Math.max(0, items) * ITEM_BYTES;
}

/**
 * A catalog answer carries every license type a platform publishes, a count no request states:
 * room for 8192 types of 8 KiB each. A province's catalog runs to thousands of types, and a type
 * of 40 face fields (name, code, type, length, a line describing it), as a JSON writer indents
 * it, takes ~7 KB: 4096 types of 4 KiB cut such a catalog of 3000 types off.
 */
export const CATALOG_ANSWER_BYTES = ENVELOPE_BYTES + 8192 * 8 * 1024;
