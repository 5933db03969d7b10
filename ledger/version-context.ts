/**
 * What every version of a pipeline's run repeats, kept once (migration 026): `version_contexts`
 * holds, per distinct combination,
 * - `lineage`: the lineage fields fixed by the pipeline's config, catalog and mapping — source,
 *   catalog and mapping versions (`s`, `c`/`C`, `m`/`M`; ledger/lineage-column.ts), ~115 bytes;
 * - `payload`: the license's `type` and `issuer` members as their JSON text (names and codes
 *   fixed by the catalog and the pipeline's issuer), ~150 bytes.
 * A version row names its context by `context_id`; its `lineage` text holds the other fields,
 * and its `payload` text holds the marker `"@":0` where the members stood, so the license's JSON
 * text is put back byte for byte, field order included. A row without `context_id` (written
 * before, or by a writer that keeps the whole text) reads as it is. By hand, with plain SQL:
 *
 *   select case when c.payload is null or c.payload = '' then v.payload
 *               else replace(v.payload, '"@":0', c.payload) end as payload
 *     from license_versions v left join version_contexts c on c.context_id = v.context_id
 *
 * (a context of a license that has a member named `@` holds the lineage only, payload '', and
 * the row's text is whole; docs/operations.md, "Ledger size").
 */
import type { Knex } from 'knex';
import type { License } from '../catalog/license.js';
import { canonicalValue } from './canonical-value.js';
import { type Db, inLists, parseJson, toInt } from './db.js';

export const PAYLOAD_MARKER = '"@":0';
/** The marker's member name: a text holding it anywhere keeps its members (splitVersionFields). */
const MARKER_NAME = '"@":';
const SHARED_LINEAGE = ['s', 'c', 'C', 'm', 'M'];

export interface VersionContext {
  lineage: string;
  payload: string;
}

export interface SplitVersion {
  payload: string;
  lineage: string;
  context: VersionContext | null;
}

/**
 * A version's column texts (payloadColumn, lineageColumn) split into the row's part and the
 * context's. The payload's members move only when their text occurs once and the text holds no
 * `"@":` of its own, so the marker is never ambiguous.
 */
export function splitVersion(payload: string, license: License, lineage: string): SplitVersion {
  // parseJson: a text that does not parse fails without quoting it (a source key may be an ID number).
  return splitVersionFields(payload, license, parseJson<Record<string, unknown>>(lineage), lineage);
}

/**
 * {@link splitVersion} of the lineage's members (lineageFields) rather than its text: the same
 * texts, without writing the whole lineage and parsing it back (a page's commit, once a version).
 * A member whose value is left out of JSON text (`undefined`) is left out of both parts, as the
 * text left it out.
 */
export function splitVersionFields(
  payload: string,
  license: License,
  fields: Record<string, unknown>,
  lineageText?: string,
): SplitVersion {
  const shared: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    if (SHARED_LINEAGE.includes(name)) shared[name] = fields[name];
    else own[name] = fields[name];
  }
  let rowPayload = payload;
  let contextPayload = '';
  if (license.type !== undefined && license.issuer !== undefined && !holdsMarker(payload)) {
    const members = sharedMembers(payload, license.type, license.issuer);
    if (members !== undefined) {
      const at = payload.indexOf(members);
      rowPayload = payload.slice(0, at) + PAYLOAD_MARKER + payload.slice(at + members.length);
      contextPayload = members;
    }
  }
  const contextLineage = JSON.stringify(shared);
  if (contextPayload === '' && contextLineage === '{}') {
    return { payload, lineage: lineageText ?? JSON.stringify(fields), context: null };
  }
  return {
    payload: rowPayload,
    lineage: JSON.stringify(own),
    context: { lineage: contextLineage, payload: contextPayload },
  };
}

/**
 * The text of the `type` and `issuer` members as `payload` holds them, once: with their values in
 * canonical form as payloadColumn writes them, or as JSON.stringify wrote them (a license written
 * with `toJSON`, texts written before); undefined where neither occurs exactly once.
 */
function sharedMembers(payload: string, type: unknown, issuer: unknown): string | undefined {
  let canonical: string | undefined;
  try {
    canonical = `"type":${canonicalValue(type)},"issuer":${canonicalValue(issuer)}`;
  } catch {
    canonical = undefined;
  }
  if (canonical !== undefined && occursOnce(payload, canonical)) return canonical;
  const plain = `"type":${JSON.stringify(type)},"issuer":${JSON.stringify(issuer)}`;
  return plain !== canonical && occursOnce(payload, plain) ? plain : undefined;
}

function occursOnce(text: string, part: string): boolean {
  const at = text.indexOf(part);
  return at >= 0 && text.indexOf(part, at + 1) < 0;
}

/**
 * Whether `text` holds `"@":`, found by its `@`s: a license's text has few or none, and a search
 * for the four characters went through a license's text (two-byte: Chinese) at a quarter of the speed.
 */
function holdsMarker(text: string): boolean {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (text.startsWith(MARKER_NAME, at - 1)) return true;
  }
  return false;
}

/** A row's payload text with its context's members put back where the marker stands. */
export function joinPayload(text: string, contextPayload: string | null | undefined): string {
  if (!contextPayload) return text;
  // A function, so `$` in a name is not read as a replacement pattern.
  return text.replace(PAYLOAD_MARKER, () => contextPayload);
}

const keyOf = (c: VersionContext) => `${c.lineage}\u0000${c.payload}`;

/**
 * Whether `a` and `b` hold the same texts: what keyOf's keys tell apart (JSON texts hold no raw
 * NUL), without building a key. A page's versions name their run's one context, each with texts of
 * its own, so most are the one before.
 */
const sameContext = (a: VersionContext, b: VersionContext) =>
  a.lineage === b.lineage && a.payload === b.payload;

/**
 * The `context_id` of each context given, made where missing, in the caller's transaction. A
 * context equal to the one before it is neither keyed nor looked up again: keying every version's
 * (~270 characters joined, then hashed, twice a version) was ~3.5 µs a version of a page's commit.
 */
export async function contextIds(
  trx: Knex.Transaction,
  contexts: Iterable<VersionContext>,
): Promise<(c: VersionContext) => number> {
  const ids = new Map<string, number>();
  let before: VersionContext | undefined;
  for (const c of contexts) {
    if (before !== undefined && sameContext(c, before)) continue;
    before = c;
    const key = keyOf(c);
    if (ids.has(key)) continue;
    await trx('version_contexts').insert(c).onConflict(['lineage', 'payload']).ignore();
    const row: { context_id: unknown } | undefined = await trx('version_contexts')
      .select('context_id')
      .where(c)
      .first();
    if (row === undefined) throw new Error('ledger: a version context was not stored');
    ids.set(key, Number(row.context_id));
  }
  let last: { context: VersionContext; id: number } | undefined;
  return (c) => {
    if (last !== undefined && sameContext(c, last.context)) return last.id;
    const id = ids.get(keyOf(c));
    if (id === undefined) throw new Error('ledger: a version context was not looked up');
    last = { context: c, id };
    return id;
  };
}

/**
 * Version rows (`alias`) with their context's texts as `context_lineage` and `context_payload`,
 * which toVersion (ledger/rows.ts) needs for every row that names a context.
 */
export function withVersionContext(q: Knex.QueryBuilder, alias: string): Knex.QueryBuilder {
  return q
    .leftJoin('version_contexts as vc', 'vc.context_id', `${alias}.context_id`)
    .select('vc.lineage as context_lineage', 'vc.payload as context_payload');
}

/**
 * Version rows read without withVersionContext, given their context's texts as it gives them
 * (`context_lineage`, `context_payload`; null for a context not found, as its left join gives):
 * each distinct context read once, its texts one string each that every row naming it shares. A
 * page's versions name their run's one context, and joined, each row brought its own copy of both
 * texts (~270 characters) out of the database, twice a license (the sign and deliver stages'
 * reads, ledger/versions.ts). A context row is never changed or deleted once written.
 */
export async function readVersionContexts<
  R extends { context_id?: unknown; context_lineage?: string | null; context_payload?: string | null },
>(db: Db, k: Knex, rows: R[]): Promise<R[]> {
  const ids = new Set<number>();
  for (const r of rows) if (r.context_id !== null && r.context_id !== undefined) ids.add(toInt(r.context_id));
  if (ids.size === 0) return rows;
  const texts = new Map<number, VersionContext>();
  for (const part of inLists(db, [...ids], 0)) {
    const found: (VersionContext & { context_id: unknown })[] = await k('version_contexts')
      .select('context_id', 'lineage', 'payload')
      .whereIn('context_id', part);
    for (const c of found) texts.set(toInt(c.context_id), { lineage: c.lineage, payload: c.payload });
  }
  for (const r of rows) {
    if (r.context_id === null || r.context_id === undefined) continue;
    const c = texts.get(toInt(r.context_id));
    r.context_lineage = c?.lineage ?? null;
    r.context_payload = c?.payload ?? null;
  }
  return rows;
}

/** The context's texts of a row read with withVersionContext; refuses a row read without it. */
export function contextOf(r: {
  context_id?: unknown;
  context_lineage?: string | null;
  context_payload?: string | null;
}): VersionContext | null {
  if (r.context_id === null || r.context_id === undefined) return null;
  if (typeof r.context_lineage !== 'string' || typeof r.context_payload !== 'string') {
    throw new Error(`ledger: version context ${String(r.context_id)} was not read with its version`);
  }
  return { lineage: r.context_lineage, payload: r.context_payload };
}

/** Rows to insert with their context's id (made where missing) in place of their context. */
export async function resolveContexts<T extends { context: VersionContext | null }>(
  trx: Knex.Transaction,
  rows: readonly T[],
): Promise<(Omit<T, 'context'> & { context_id: number | null })[]> {
  const idOf = await contextIds(trx, contextsOf(rows));
  return rows.map((row) => {
    // The row without its context, its id added last: one copy a row, not a second spread of it.
    const { context, ...rest } = row;
    const out = rest as Omit<T, 'context'> & { context_id: number | null };
    out.context_id = context ? idOf(context) : null;
    return out;
  });
}

function* contextsOf(rows: readonly { context: VersionContext | null }[]): Generator<VersionContext> {
  for (const r of rows) if (r.context) yield r.context;
}
