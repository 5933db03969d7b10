/**
 * Reads the JSON of a batch upload without making one string of it. A batch of 100 licenses is
 * ~115 KB, and its Chinese text makes V8 decode it into a two-byte string of ~230 KB: past V8's
 * largest regular heap object (128 KB), so every batch's string went to the large-object space,
 * mapped and unmapped for the one request, with a scavenge after it — ~1 ms of the simulator's
 * CPU per batch (10 µs a license), more than parsing it took. Each item is decoded and parsed on
 * its own instead, small strings in the young generation.
 *
 * Only the shape clients send (`{"items":[…]}`, nothing around it) is read so; anything else is
 * parsed whole, as before. The answer is JSON.parse's either way: items are split at the commas
 * between them (outside strings, brackets balanced), and a body whose pieces do not each parse is
 * parsed whole too, for JSON.parse's own error.
 */

const HEAD = Buffer.from('{"items":[');
const TAIL = Buffer.from(']}');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** `JSON.parse(raw.toString('utf8'))`, throwing as it does, without its one large string. */
export function parseBatchJson(raw: Buffer): unknown {
  const items = batchItemsOf(raw);
  return items === undefined ? JSON.parse(raw.toString('utf8')) : { items };
}

/**
 * The parsed items of a `{"items":[…]}` body, each parsed on its own; undefined for any other body
 * and for one whose pieces do not each parse: parsed whole, it is answered as JSON.parse says.
 */
export function batchItemsOf(raw: Buffer): unknown[] | undefined {
  const end = raw.length - TAIL.length;
  if (end < HEAD.length || raw.compare(HEAD, 0, HEAD.length, 0, HEAD.length) !== 0) return undefined;
  if (raw.compare(TAIL, 0, TAIL.length, end) !== 0) return undefined;
  const items: unknown[] = [];
  let depth = 0;
  let from = HEAD.length;
  let i = from;
  // UTF-8 continuation and lead bytes are all ≥ 0x80: no byte of a multi-byte character is read as
  // a quote, bracket or comma, and a piece cut at a comma decodes as it would inside the whole.
  while (i < end) {
    const b = raw[i];
    if (b === QUOTE) {
      // To the closing quote: one not escaped, i.e. after an even run of backslashes.
      let close = raw.indexOf(QUOTE, i + 1);
      while (close !== -1 && close < end && escaped(raw, close)) close = raw.indexOf(QUOTE, close + 1);
      if (close === -1 || close >= end) return undefined;
      i = close + 1;
      continue;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth -= 1;
      if (depth < 0) return undefined;
    } else if (b === COMMA && depth === 0) {
      const item = parsePiece(raw, from, i);
      if (item === NOT_JSON) return undefined;
      items.push(item);
      from = i + 1;
    }
    i += 1;
  }
  if (depth !== 0) return undefined;
  // `{"items":[]}` too: an empty last piece is no JSON, and the whole parse says what it is.
  const last = parsePiece(raw, from, end);
  if (last === NOT_JSON) return undefined;
  items.push(last);
  return items;
}

const NOT_JSON = Symbol('not JSON');

function parsePiece(raw: Buffer, from: number, to: number): unknown {
  try {
    return JSON.parse(raw.toString('utf8', from, to));
  } catch {
    return NOT_JSON;
  }
}

/** Whether the quote at `at` is escaped: an odd number of backslashes right before it. */
function escaped(raw: Buffer, at: number): boolean {
  let n = 0;
  for (let j = at - 1; raw[j] === BACKSLASH; j -= 1) n += 1;
  return n % 2 === 1;
}
