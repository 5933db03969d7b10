/**
 * The identifier a renewal, change or transfer-in names as `previousIdentifier`: the latest
 * identifier of the license it continues, found in the same pipeline by source key (exact) or
 * by number (`licenses.number`, migration 012). A successor already in the ledger keeps the
 * predecessor it was first given, so a later version of the predecessor (an expiry, say) does
 * not turn every read of the successor's row into a change.
 *
 * A number is no key: two unrelated licenses of a pipeline may hold the same one (re-issued
 * numbering, a legacy system's typo). A number that leaves more than one license once those a
 * renewal of it continues are set aside names no one predecessor: it resolves to none, and the
 * candidates' source keys are handed back in `ambiguous` for the caller's reason. The licenses
 * read before the successor in its page count with the ledger's (`numberHeldInPage`): where a
 * page boundary falls between them and the successor does not change the answer. A number given
 * again after its license was cancelled, revoked or withdrawn (`ENDED_STATUSES`) leaves the ended
 * license under it: a renewal continues the license in force, so an ended one is set aside when
 * another of the number is not.
 */
import type { Knex } from 'knex';
import { chunk, type Db, parseJson, toInt } from './db.js';
import { whereHashedKeyIn } from './hashed-keys.js';
import { readIdentifier } from './identifier-column.js';
import { previousNamedBy, previousNamedIn } from './migrations/057-renewals-by-predecessor.js';

/** Statuses of a license that is over and is not renewed: its number may be given to a new license. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'revoked', 'withdrawn']);

/** A license under a successor's number or source key, as the lookup weighs it. */
interface Held {
  licenseId: string;
  sourceKey: string;
  identifier: string;
  /** The identifier its own predecessor is, if it names one. */
  previous?: string;
  /** Its status is one of `ENDED_STATUSES`. */
  ended?: boolean;
}

/**
 * The licenses among `others` a successor of their number may continue: those no other of them
 * continues, and of two or more such, the ones in force when any is (an ended one's number was
 * given again).
 */
function headsOf(others: readonly Held[]): Held[] {
  const continued = (c: Held) =>
    others.some((o) => o !== c && o.previous?.startsWith(`${c.licenseId}.`) === true);
  const heads = others.filter((c) => !continued(c));
  const inForce = heads.filter((c) => c.ended !== true);
  return heads.length > 1 && inForce.length > 0 ? inForce : heads;
}

export interface PredecessorLookup {
  /** The successor's license id. */
  licenseId: string;
  sourceKey?: string;
  number?: string;
  /**
   * Licenses read before the successor in its own page that hold `number` and name no predecessor
   * under it (one the ledger holds under the number counts once). They count as the ledger's do, so whether one of them was
   * committed in an earlier page or sits in the successor's page gives the same answer.
   */
  numberHeldInPage?: readonly {
    licenseId: string;
    sourceKey: string;
    identifier: string;
    /** It names `number` as its own predecessor's: a renewal keeping the number, continuing the one before it. */
    renews?: boolean;
    /** Its status is one of `ENDED_STATUSES`. */
    ended?: boolean;
  }[];
}

export async function predecessorIdentifiers(
  db: Db,
  pipeline: string,
  refs: readonly PredecessorLookup[],
  /** Filled with the source keys of the licenses a successor's number could mean, when more than one. */
  ambiguous?: Map<string, string[]>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (refs.length === 0) return out;
  return db.read('predecessorIdentifiers', async (k) => {
    // 1. Successors already in the ledger: the predecessor their latest version names.
    for (const ids of chunk(
      refs.map((r) => r.licenseId),
      db.maxParams,
    )) {
      const rows: { license_id: string; payload: string }[] = await k('licenses as l')
        .join('license_versions as v', function on() {
          this.on('v.license_id', '=', 'l.license_id').andOn('v.version', '=', 'l.latest_version');
        })
        .select('l.license_id', 'v.payload')
        .whereIn('l.license_id', ids);
      for (const r of rows) {
        const previous = parseJson<{ previousIdentifier?: unknown }>(r.payload).previousIdentifier;
        if (typeof previous === 'string') out.set(r.license_id, previous);
      }
    }
    const open = refs.filter((r) => !out.has(r.licenseId));
    // 2. By source key, then 3. by number: the predecessor's latest identifier.
    for (const [column, pick] of [
      ['source_key', (r: PredecessorLookup) => r.sourceKey],
      ['number', (r: PredecessorLookup) => r.number],
    ] as const) {
      const wanted = open.filter((r) => !out.has(r.licenseId) && pick(r) !== undefined);
      if (wanted.length === 0) continue;
      // Every license under each value, by license id: a renewal (延续) keeps its number, so the
      // successor itself may be among them, and is passed over below; and so may a license a
      // renewal of the number already continues (a second renewal keeps the number too).
      const found = new Map<string, Held[]>();
      for (const values of chunk([...new Set(wanted.map((r) => pick(r) as string))], db.maxParams - 1)) {
        const rows: {
          ref: string;
          license_id: string;
          source_key: string;
          status: string;
          version: unknown;
          identifier: string;
          payload: string;
        }[] = await heldUnder(k, column, pipeline, values);
        for (const r of rows) {
          const identifier = readIdentifier(r.identifier, r.license_id, toInt(r.version));
          const previous = parseJson<{ previousIdentifier?: unknown }>(r.payload).previousIdentifier;
          const entry: Held = {
            licenseId: r.license_id,
            sourceKey: r.source_key,
            identifier,
            ...(typeof previous === 'string' ? { previous } : {}),
            ...(ENDED_STATUSES.has(r.status) ? { ended: true } : {}),
          };
          const list = found.get(r.ref);
          if (list) list.push(entry);
          else found.set(r.ref, [entry]);
        }
      }
      for (const r of wanted) {
        // A license never continues itself, nor one another license of the value continues
        // already: the third license of a number renewed twice continues the second, not the
        // first (whose holder renewed long ago). Two or more left, in force or all ended, are
        // unrelated licenses sharing the number: none of them is taken.
        const stored = found.get(pick(r) as string) ?? [];
        const page =
          column === 'number'
            ? (r.numberHeldInPage ?? []).filter((p) => !stored.some((c) => c.licenseId === p.licenseId))
            : [];
        const others: Held[] = [...stored, ...page.filter((p) => p.renews !== true)].filter(
          (c) => c.licenseId !== r.licenseId,
        );
        const heads = headsOf(others);
        if (heads.length > 1) {
          ambiguous?.set(
            r.licenseId,
            heads.map((c) => c.sourceKey),
          );
          continue;
        }
        // A renewal of the number read before it in the page continues the one head: the last
        // such renewal is the predecessor, as it is once that renewal is stored. None left: a
        // chain that loops back; its first license by id, the same on every read.
        const renewal = page.filter((p) => p.renews === true && p.licenseId !== r.licenseId).at(-1);
        const identifier = renewal?.identifier ?? heads[0]?.identifier ?? others[0]?.identifier;
        if (identifier !== undefined) out.set(r.licenseId, identifier);
      }
    }
    return out;
  });
}

/**
 * `l.pipeline` as a filter on the rows an index on another column finds, never as an index term:
 * SQLite has no statistics, and with `pipeline` beside `number in (…)` it chose the
 * `(pipeline, status, valid_to)` index for the pipeline and read every license of it for each
 * statement (a page of a run took 0.6 s at 130,000 licenses, growing with the ledger). An
 * expression on the column is no index term in either database; PostgreSQL finds the few licenses
 * under a number through `licenses(number)` (migration 028) as well.
 */
const PIPELINE_ON_ROWS = "l.pipeline || ''";

/**
 * The licenses under each of `values` in `column` in `pipeline`, with their latest version. By
 * source key the pipeline is part of the unique index `(pipeline, source_key)`. By number it is
 * asked on the rows `licenses(number)` finds ({@link PIPELINE_ON_ROWS}): left out, a number common
 * in another pipeline (a legacy system's placeholder held by 20,000 of its licenses) had each page
 * naming it read and parse all of them with their payloads, ~1 s a page on SQLite.
 */
export function heldUnder(
  k: Knex | Knex.Transaction,
  column: 'source_key' | 'number',
  pipeline: string,
  values: readonly string[],
): Knex.QueryBuilder {
  const q = k('licenses as l')
    .join('license_versions as v', function on() {
      this.on('v.license_id', '=', 'l.license_id').andOn('v.version', '=', 'l.latest_version');
    })
    .select(
      `l.${column} as ref`,
      'v.license_id',
      'l.source_key',
      'l.status',
      'v.version',
      'v.identifier',
      'v.payload',
    )
    .orderBy('v.license_id');
  if (column === 'number') whereHashedKeyIn(k, q, 'l.number', values);
  else q.whereIn('l.source_key', [...values]);
  return column === 'source_key'
    ? q.where('l.pipeline', pipeline)
    : q.whereRaw(`${PIPELINE_ON_ROWS} = ?`, [pipeline]);
}

/** Statuses of a renewal that never was (withdrawn, 撤回) or was annulled (revoked, 撤销). */
const TAKEN_BACK = ['withdrawn', 'revoked'] as const;

/**
 * Which of these licenses a later license of the same pipeline continues as a renewal (延续): one
 * that kept the number and names the old license as `previousIdentifier`, or one under a number of
 * its own (a unit renumbered on renewal) whose first version is a `renew` naming it. The old
 * license stays `valid` until its own date (the predecessor is not touched), but its holder has
 * renewed, and an expiry reminder would tell them their license runs out. The same number is found
 * through `licenses(number)` (migrations 012, 028), another number through the identifier the
 * renewal names (migration 057); neither reads more than the candidates. A change or transfer-in
 * under another number is no renewal and is not counted, nor a renewal withdrawn or revoked since.
 */
export async function continuedLicenses(db: Db, licenseIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (licenseIds.length === 0) return out;
  return db.read('continuedLicenses', async (k) => {
    const own: { license_id: string; pipeline: string; number: string | null }[] = [];
    for (const ids of chunk([...new Set(licenseIds)], db.maxParams))
      own.push(
        ...(await k('licenses').select('license_id', 'pipeline', 'number').whereIn('license_id', ids)),
      );
    const byNumber = new Map<string, string[]>();
    for (const r of own) {
      if (r.number === null) continue;
      const key = `${r.pipeline}\u0000${r.number}`;
      const list = byNumber.get(key);
      if (list) list.push(r.license_id);
      else byNumber.set(key, [r.license_id]);
    }
    const numbers = [...new Set(own.flatMap((r) => (r.number === null ? [] : [r.number])))];
    const ownPipelines = [...new Set(own.map((r) => r.pipeline))];
    for (const part of chunk(numbers, db.maxParams - ownPipelines.length - TAKEN_BACK.length)) {
      const rows: { license_id: string; pipeline: string; number: string; payload: string }[] =
        await renewalsUnder(k, ownPipelines, part);
      for (const r of rows) {
        const olds = byNumber.get(`${r.pipeline}\u0000${r.number}`);
        // A license found under its own number continues nothing of its own: its text not read.
        if (!olds?.some((old) => old !== r.license_id)) continue;
        const previous = previousOf(r.payload);
        if (typeof previous !== 'string') continue;
        for (const old of olds) if (old !== r.license_id && previous.startsWith(`${old}.`)) out.add(old);
      }
    }
    for (const old of await renewedUnderOtherNumbers(k, db.maxParams, own)) out.add(old);
    return out;
  });
}

/**
 * Those of `own` a renewal under any number names, by the identifier of one of their versions (a
 * renewal names the version the ledger held when it was read, maybe not the latest now). A `renew`
 * that kept the number is found here as well as by number; the answer is the same.
 */
async function renewedUnderOtherNumbers(
  k: Knex,
  maxParams: number,
  own: readonly { license_id: string; pipeline: string }[],
): Promise<Set<string>> {
  const out = new Set<string>();
  const pipelineOf = new Map(own.map((r) => [r.license_id, r.pipeline]));
  const named = new Map<string, string>();
  for (const ids of chunk([...pipelineOf.keys()], maxParams)) {
    const rows: { license_id: string; version: unknown; identifier: string }[] = await k('license_versions')
      .select('license_id', 'version', 'identifier')
      .whereIn('license_id', ids);
    for (const r of rows)
      named.set(readIdentifier(r.identifier, r.license_id, toInt(r.version)), r.license_id);
  }
  for (const part of chunk([...named.keys()], maxParams - TAKEN_BACK.length - 1)) {
    const rows: { license_id: string; pipeline: string; named: string }[] = await renewalsNaming(k, part);
    for (const r of rows) {
      const old = named.get(r.named);
      if (old !== undefined && old !== r.license_id && pipelineOf.get(old) === r.pipeline) out.add(old);
    }
  }
  return out;
}

/**
 * The licenses in force (a renewal taken back is not) whose first version is a `renew` and whose
 * latest text names one of `identifiers` as `previousIdentifier`, with the identifier it names
 * (`named`). Through `license_versions_previous_idx` (migration 057): its predicate and
 * expression as the index states them, so each database matches it.
 */
export function renewalsNaming(
  k: Knex | Knex.Transaction,
  identifiers: readonly string[],
): Knex.QueryBuilder {
  const pg = k.client.config.client === 'pg';
  return k('license_versions as v')
    .join('licenses as l', function on() {
      this.on('l.license_id', '=', 'v.license_id').andOn('l.latest_version', '=', 'v.version');
    })
    .join('license_versions as f', function on() {
      this.on('f.license_id', '=', 'l.license_id').andOn('f.version', '=', k.raw('1'));
    })
    .select('l.license_id', 'l.pipeline', k.raw(`${previousNamedBy(pg, 'v')} as named`))
    .whereRaw(previousNamedIn(pg, 'v'))
    .whereRaw(`${previousNamedBy(pg, 'v')} in (${identifiers.map(() => '?').join(', ')})`, [...identifiers])
    .whereNotIn('l.status', [...TAKEN_BACK])
    .andWhere('f.operation', 'renew');
}

/**
 * The `previousIdentifier` a stored text names; `undefined` when the text does not read. Such a
 * license (its text cut short by a disk or a hand) threw out of the whole question, and the
 * reminders of every holder on the tick's page with it: it is taken as continuing nothing, and the
 * stages that write from its text set it aside (`LB_STORED_TEXT`).
 */
function previousOf(payload: string): unknown {
  try {
    return parseJson<{ previousIdentifier?: unknown }>(payload).previousIdentifier;
  } catch {
    return undefined;
  }
}

/**
 * The licenses of `pipelines` under `numbers` that may continue another (a renewal taken back,
 * withdrawn or revoked, is not in force: the holder has the old license only, and is reminded that
 * it runs out), with their latest payload. The number through its index (migration 028), the
 * pipeline checked on the rows it finds ({@link PIPELINE_ON_ROWS}).
 */
export function renewalsUnder(
  k: Knex | Knex.Transaction,
  pipelines: readonly string[],
  numbers: readonly string[],
): Knex.QueryBuilder {
  const q = k('licenses as l')
    .join('license_versions as v', function on() {
      this.on('v.license_id', '=', 'l.license_id').andOn('v.version', '=', 'l.latest_version');
    })
    .select('l.license_id', 'l.pipeline', 'l.number', 'v.payload')
    .whereRaw(`${PIPELINE_ON_ROWS} in (${pipelines.map(() => '?').join(', ')})`, [...pipelines])
    .whereNotIn('l.status', [...TAKEN_BACK]);
  return whereHashedKeyIn(k, q, 'l.number', numbers);
}
