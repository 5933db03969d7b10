/**
 * The body of a REST/JSON batch upload and its `Idempotency-Key` (./rest-json-target.ts sends
 * them): each item serialised once, for the body and for its identity in the key.
 */
import { createHash, hash } from 'node:crypto';
import type { BatchRequestItem } from './batch-wire.js';

/**
 * What identifies one item of a batch in the `Idempotency-Key`: its delivery key (license,
 * version, target) and a digest of what is sent for it.
 */
export function itemIdentity(item: BatchRequestItem): string {
  return identityOf(item.key, JSON.stringify(item));
}

/** {@link itemIdentity} of an item whose JSON text is `text`. */
function identityOf(key: string, text: string): string {
  return `${key}\u0000${hash('sha256', text, 'hex')}`;
}

/**
 * The body of a batch request and its items' identities ({@link itemIdentity}), each item
 * serialised once for both (serialising it again for its identity was ~18 µs a license of the
 * main thread in bench/pipeline.ts). The body is `JSON.stringify({ items })` exactly: an array's
 * JSON is its members' JSON joined by commas, without spaces.
 */
export function batchBody(items: readonly BatchRequestItem[]): BatchBody {
  return bodyOfTexts(
    items.map((item) => item.key),
    items.map((item) => JSON.stringify(item)),
  );
}

/** The JSON of a batch request and its items' identities. */
interface BatchBody {
  json: string;
  identities: string[];
}

/** {@link batchBody} of items already serialised: `texts[i]` is the JSON of the item keyed `keys[i]`. */
export function bodyOfTexts(keys: readonly string[], texts: readonly string[]): BatchBody {
  return {
    json: `{"items":[${texts.join(',')}]}`,
    identities: keys.map((key, i) => identityOf(key, texts[i] as string)),
  };
}

/**
 * `Idempotency-Key` of one batch request: sha256 hex of the item identities, sorted, joined by
 * `\n`, then `\n` and the send's own id. Every send gets its own key: a gateway replays its first
 * answer to a key whatever the body says, so a key used again would bring back a busy answer or a
 * rejection to the retry after it, and to a dead letter replayed after the platform fixed its
 * side. Sending twice stays harmless: the platform answers an item key it already holds with its
 * first answer (`duplicate`), and an unsure send is asked about before it is sent again.
 */
export function batchIdempotencyKey(identities: readonly string[], sendId: string): string {
  return createHash('sha256')
    .update(`${[...identities].sort().join('\n')}\n${sendId}`, 'utf8')
    .digest('hex');
}
