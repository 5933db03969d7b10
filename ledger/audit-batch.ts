/**
 * Acts of one batch in one audit entry. A page of new versions, a signing batch and a delivery
 * batch are hundreds of acts of the same kind by the same actor in one transaction; one entry per
 * act was three entries of ~380 bytes for every license (docs/audit.md, "Acts of a batch"). Acts of
 * a batch now share an entry that binds every one of them:
 * - `detail.versions` names the versions acted on, as ascending version-id ranges (`"7-506,512"`),
 *   and `detail.count` how many acts;
 * - `digest` is SM3 over the JCS array of the acts' tuples in version-id order, each tuple what
 *   the act recorded (for a new version: id, license, version number and content hash), so no act
 *   can be added, dropped or changed without the entry's digest changing.
 * An act alone in its batch keeps the entry of one act (its license and version in their columns).
 */
import { jcs } from '../catalog/canonical.js';
import { sm3Hex } from '../catalog/sm3.js';
import type { AuditInput } from './audit-chain.js';
import type { AuditAction } from './audit-types.js';
import { parseJson } from './db.js';

/** One act of a batch: its version id and the values the entry's digest binds. */
export interface BatchAct {
  versionId: number;
  /** The act's own entry, written when it is alone in its batch. */
  single: AuditInput;
  /** What the act recorded, after its version id, in the digest's tuple. */
  tuple: readonly (string | number | null)[];
}

/**
 * The entries of a batch: acts grouped by action, actor and `shared` detail (one entry per group,
 * in the order each group first appears), each group of two or more as one entry.
 */
export function batchEntries(
  acts: readonly BatchAct[],
  shared: (act: BatchAct) => Record<string, string | number | boolean | null> = () => ({}),
): AuditInput[] {
  const groups = new Map<
    string,
    {
      action: AuditAction;
      actor: string;
      detail: Record<string, string | number | boolean | null>;
      acts: BatchAct[];
    }
  >();
  const keys = new Map<string, string>();
  let last: { action: AuditAction; actor: string; detail: Record<string, unknown>; key: string } = {
    action: 'read',
    actor: '',
    detail: {},
    key: '',
  };
  for (const act of acts) {
    const detail = shared(act);
    const { action, actor } = act.single;
    // The acts of a batch mostly repeat the act before's group: its key is taken again without
    // writing the JSON text of the group once an act (~0.7 µs, three acts a license).
    const key =
      last.key !== '' && last.action === action && last.actor === actor && sameScalars(last.detail, detail)
        ? last.key
        : groupKey(keys, [action, actor, detail]);
    if (key !== last.key) last = { action, actor, detail, key };
    const group = groups.get(key);
    if (group) group.acts.push(act);
    else groups.set(key, { action: act.single.action, actor: act.single.actor, detail, acts: [act] });
  }
  const out: AuditInput[] = [];
  for (const g of groups.values()) {
    if (g.acts.length === 1) {
      out.push((g.acts[0] as BatchAct).single);
      continue;
    }
    const sorted = [...g.acts].sort((a, b) => a.versionId - b.versionId);
    out.push({
      action: g.action,
      actor: g.actor,
      licenseId: null,
      version: null,
      digest: batchDigest(sorted),
      detail: { ...g.detail, versions: versionRanges(sorted.map((a) => a.versionId)), count: sorted.length },
    });
  }
  return out;
}

/**
 * A group's key: the JCS text of `[action, actor, detail]`. The acts of a batch repeat a few
 * such values, each built afresh: each distinct JSON text is canonicalised once, not once an act
 * (~0.5 µs an act, three acts a license). Equal JSON texts have equal JCS texts, except where
 * JSON writes `null` for what JCS refuses (NaN, Infinity): a text holding `null` is
 * canonicalised every time, so such a value still throws.
 */
function groupKey(keys: Map<string, string>, value: unknown[]): string {
  const text = JSON.stringify(value);
  if (text.includes('null')) return jcs(value);
  let key = keys.get(text);
  if (key === undefined) {
    key = jcs(value);
    keys.set(text, key);
  }
  return key;
}

/**
 * Whether `b` has `a`'s members in `a`'s order, each the same string, finite number, boolean or
 * null: then `[action, actor, b]` has the JSON text, so the group key, of `[action, actor, a]`. A
 * member of another kind (NaN, an object) is never the same: its key is made afresh, and a value
 * JCS refuses still throws.
 */
function sameScalars(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const names = Object.keys(a);
  const others = Object.keys(b);
  if (names.length !== others.length) return false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (others[i] !== name) return false;
    const v = a[name];
    if (v !== b[name] || !(plainScalar(v) || typeof v === 'boolean')) return false;
  }
  return true;
}

/** A value whose JSON text is its JCS text: a string, a finite number or null. */
function plainScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * SM3 over the JCS array of `[versionId, ...tuple]`, acts in version-id order. An array of
 * arrays of strings, finite numbers and nulls has no member names to sort and JCS writes such
 * values as JSON does: its JSON text is its JCS text, written by the engine (the usual tuples:
 * ids, license ids, hashes, platform ids); anything else goes through `jcs`.
 */
export function batchDigest(acts: readonly Pick<BatchAct, 'versionId' | 'tuple'>[]): string {
  const rows = acts.map((a) => [a.versionId, ...a.tuple]);
  return sm3Hex(rows.every((r) => r.every(plainScalar)) ? JSON.stringify(rows) : jcs(rows));
}

/** Ascending ids as ranges: `[1,2,3,5,7,8]` → `"1-3,5,7-8"`. A repeated id is written again. */
export function versionRanges(ids: readonly number[]): string {
  const parts: string[] = [];
  let start = ids[0];
  let end = start;
  for (let i = 1; i <= ids.length; i++) {
    const id = ids[i];
    if (id !== undefined && end !== undefined && id === end + 1) {
      end = id;
      continue;
    }
    if (start !== undefined) parts.push(start === end ? `${start}` : `${start}-${end}`);
    start = id;
    end = id;
  }
  return parts.join(',');
}

/**
 * Most ids a version list may name where no ledger bounds it (`versionIdsOf`): far past any batch
 * (one transaction's acts), and an array of them stays under 80 MiB.
 */
export const MAX_LISTED_IDS = 10_000_000;

/**
 * The `[from, to]` ranges of `versionRanges` text, not expanded; throws on text it did not write,
 * naming the part by its place: text it did not write is nothing it may quote.
 */
export function versionRangeParts(text: string): [number, number][] {
  if (text === '') return [];
  return text.split(',').map((part, i) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`audit: part ${i + 1} of a version list is not a version id or range`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`audit: range ${part} runs backwards`);
    return [from, to];
  });
}

/** Whether ranges of `versionRangeParts` hold `id`: tested, not expanded. */
export function rangesHold(parts: readonly (readonly [number, number])[], id: number): boolean {
  return parts.some(([from, to]) => from <= id && id <= to);
}

/**
 * The ids of `versionRanges` text, in order; throws as `versionRangeParts` does, and on a list
 * naming an id past `most` or more than `most` ids in all, before expanding it. Version ids are 1
 * and up, so with `most` the ledger's newest id a list of distinct versions fits: an entry
 * rewritten to name `1-4000000000` is refused, not expanded until memory runs out.
 */
export function parseVersionRanges(text: string, most = MAX_LISTED_IDS): number[] {
  const parts = versionRangeParts(text);
  let count = 0;
  for (const [i, [from, to]] of parts.entries()) {
    if (to > most) throw new Error(`audit: part ${i + 1} of a version list names ids past ${most}`);
    count += to - from + 1;
  }
  if (count > most) throw new Error(`audit: a version list names ${count} ids, more than ${most}`);
  const ids: number[] = [];
  for (const [from, to] of parts) for (let id = from; id <= to; id++) ids.push(id);
  return ids;
}

/** The version ids an entry is about: a batch's ranges, a one-act entry's `detail.versionId`. */
export function versionIdsOf(entry: { detail: string }): number[] {
  const detail = parseJson<{ versions?: unknown; versionId?: unknown }>(entry.detail);
  if (typeof detail.versions === 'string') return parseVersionRanges(detail.versions);
  return typeof detail.versionId === 'number' ? [detail.versionId] : [];
}

/** How many acts an entry records: a batch's `detail.count`, else one. */
export function actCount(entry: { detail: string }): number {
  const detail = parseJson<{ count?: unknown; versions?: unknown }>(entry.detail);
  return typeof detail.versions === 'string' && typeof detail.count === 'number' ? detail.count : 1;
}
