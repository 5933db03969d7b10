/**
 * A UTF-16 surrogate half without its partner: text cut inside a character outside the BMP (a rare
 * name character, 生僻字, is two halves) or mis-decoded. It is no character: UTF-8 cannot encode it
 * (an encoder writes U+FFFD in its place) and XML 1.0 (§2.2 Char) allows it nowhere. Mappings
 * refuse a value holding one (mappings/input-guard.ts); a license face drops it
 * (adapters/documents/face/drawable-text.ts). Not global: `test` keeps no `lastIndex`.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
