/**
 * Which dead letters a replay or a discard of all takes, and which of them a replay leaves dead:
 * those of a pipeline or target this config no longer delivers (`deliverable`), and those a later
 * accepted version of their license supersedes (`supersededBy`).
 */
import { deliveryTarget } from '../config/delivery-targets.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { maskPersonalShapes } from '../core/personal-shapes.js';
import { terminalLine } from '../core/terminal-text.js';
import type { DeadLetter, DeliveryLedger, Ledger, StoredDelivery } from '../ledger/ledger.js';
import { deliveryKey } from '../ledger/rows.js';

/**
 * Refuses named keys that are no delivery at all (a typo): taken with the others, they acted on
 * nothing and the command exited 0 saying they were `named not discarded`, read as done where a
 * mistyped `--target` is refused. A key closed already (replayed, discarded, delivered) is a
 * harmless rerun and passes. Shown as keys are (terminalLine), with ID and mobile number shapes
 * masked: what an operator typed or pasted by mistake may hold one.
 */
export async function refuseUnknownKeys(
  ledger: DeliveryLedger,
  command: string,
  keys: readonly string[],
  verb: string,
): Promise<void> {
  if (keys.length === 0) return;
  const known = new Set((await ledger.getDeliveries(keys)).map((d) => d.key));
  const unknown = [...new Set(keys)].filter((k) => !known.has(k));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 10).map((k) => maskPersonalShapes(terminalLine(k)));
  const more = unknown.length > 10 ? `, and ${unknown.length - 10} more` : '';
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `${command}: ${unknown.length} key(s) named no delivery: ${shown.join(', ')}${more}; nothing was ${verb}. A delivery key reads <license id>:<version>:<target>, as licbridge dlq list prints it`,
  );
}

/** What one `--all` takes; a larger backlog is worked by running it again (those taken are no longer dead). */
export const ALL_AT_ONCE = 100_000;

/**
 * The keys of every dead letter, of `target` when given, up to `cap`: what a replay or discard of
 * all takes. `more`: dead letters are left past them, for the command to be run again.
 */
export async function everyDeadKey(
  ledger: DeliveryLedger,
  target: string | undefined,
  cap = ALL_AT_ONCE,
): Promise<{ keys: string[]; more: boolean }> {
  const list = await ledger.listDeadLetters({ ...(target ? { target } : {}), limit: cap + 1 });
  const taken = takenAtOnce(list, cap);
  return { keys: taken.map((d) => d.key), more: taken.length < list.length };
}

/**
 * The first `cap` of `list` (the ledger's order: target, license, version), less the last
 * license's letters when the cut falls between its versions: its older ones replayed alone would
 * leave the platform short of the latest until the next run (as a named replay is refused for).
 * A license with more than `cap` dead letters at one target is cut all the same, unless
 * `cutLicense` is false: then none is taken.
 */
export function takenAtOnce(
  list: readonly DeadLetter[],
  cap: number,
  cutLicense = true,
): readonly DeadLetter[] {
  const next = list[cap];
  if (next === undefined) return list;
  const sameLicense = (d: DeadLetter | undefined) =>
    d !== undefined && d.target === next.target && d.licenseId === next.licenseId;
  let end = cap;
  while (end > 0 && sameLicense(list[end - 1])) end--;
  if (end > 0) return list.slice(0, end);
  return cutLicense ? list.slice(0, cap) : [];
}

/**
 * A dead letter this config can deliver: its pipeline is configured and still delivers to its
 * target, a delivery target. A pipeline moved to another target, the old one kept for others, no
 * longer sends its licenses there, and its sweeps no longer look there for a lost job's delivery.
 */
export function deliverable(config: Readonly<Config>, d: DeadLetter): boolean {
  return (
    config.pipelines[d.pipeline]?.targets.includes(d.target) === true &&
    deliveryTarget(config, d.target) !== undefined
  );
}

/**
 * The deliveries at a letter's target of every later version of its license: one `versionPage`
 * per 500 licenses, from the oldest letter of those, then their rows at each letter's target.
 */
export async function laterDeliveries(
  ledger: Pick<Ledger, 'versionPage' | 'getDeliveries'>,
  letters: readonly DeadLetter[],
): Promise<StoredDelivery[]> {
  const oldest = new Map<string, Map<string, number>>();
  for (const d of letters) {
    const byTarget = oldest.get(d.licenseId) ?? new Map<string, number>();
    byTarget.set(d.target, Math.min(byTarget.get(d.target) ?? d.versionId, d.versionId));
    oldest.set(d.licenseId, byTarget);
  }
  const later: string[] = [];
  const ids = [...oldest.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    let after = Math.min(...chunk.flatMap((id) => [...(oldest.get(id)?.values() ?? [])]));
    for (;;) {
      const page = await ledger.versionPage({ afterVersionId: after, limit: 500, licenseIds: chunk });
      const last = page[page.length - 1];
      if (!last) break;
      for (const v of page)
        for (const [target, from] of oldest.get(v.licenseId) ?? [])
          if (v.versionId > from) later.push(deliveryKey(v.licenseId, v.version, target));
      after = last.versionId;
    }
  }
  return later.length > 0 ? ledger.getDeliveries(later) : [];
}

/** A dead letter and the latest version of its license accepted at its target after it. */
export interface Superseded {
  letter: DeadLetter;
  accepted: string;
}

/**
 * The letters a later version of whose license is accepted at the same target: the deliver stage
 * orders a version only behind its predecessor, so one replayed went after the accepted one and
 * the platform ended on the older data.
 */
export function supersededBy(letters: readonly DeadLetter[], later: readonly StoredDelivery[]): Superseded[] {
  const latest = new Map<string, StoredDelivery>();
  for (const r of later) {
    if (r.state !== 'accepted') continue;
    const at = `${r.licenseId}\u0000${r.target}`;
    const seen = latest.get(at);
    if (!seen || r.versionId > seen.versionId) latest.set(at, r);
  }
  const out: Superseded[] = [];
  for (const letter of letters) {
    const r = latest.get(`${letter.licenseId}\u0000${letter.target}`);
    if (r && r.versionId > letter.versionId) out.push({ letter, accepted: r.key });
  }
  return out;
}

/**
 * The fewest dead letters a replay of all reads at once while it walks past those it leaves dead:
 * read only as many as it still has room for, a walk one letter short of its `cap` read a long run
 * of letters left dead two at a time, each read with its own look for later versions.
 */
const WALK_PAGE = 1_000;

/**
 * `taken` up to the license (at its target) of its `room + 1`th letter not `left` dead, that license
 * excluded: whole licenses, as takenAtOnce takes them past the first page.
 */
function upToRoom(
  taken: readonly DeadLetter[],
  left: ReadonlySet<string>,
  room: number,
): readonly DeadLetter[] {
  let n = 0;
  for (let i = 0; i < taken.length; i++) {
    const at = taken[i] as DeadLetter;
    if (left.has(at.key) || ++n <= room) continue;
    let end = i;
    while (end > 0 && taken[end - 1]?.target === at.target && taken[end - 1]?.licenseId === at.licenseId)
      end--;
    return taken.slice(0, end);
  }
  return taken;
}

/**
 * How many of the letters a replay of all leaves dead it lists, of each kind. A walk passes every
 * letter left dead before it has `cap` to replay (a target gone from the config with a year of
 * letters: millions), and kept whole the list grew over the whole walk and `--json` printed each.
 */
export const LEFT_DEAD_LISTED = 100;

/** What a replay of all takes: letters to replay, and those it leaves dead, with why. */
export interface ReplayableDeadLetters {
  letters: DeadLetter[];
  /** The first LEFT_DEAD_LISTED letters left dead as no longer deliverable, in the list's order. */
  skipped: DeadLetter[];
  /** How many letters were left dead as no longer deliverable, listed or not. */
  skippedCount: number;
  /** Each `pipeline → target` of those, listed or not. */
  skippedWhere: string[];
  /** The first LEFT_DEAD_LISTED letters left dead behind a later accepted version. */
  superseded: DeadLetter[];
  /** How many letters were left dead behind a later accepted version, listed or not. */
  supersededCount: number;
  /** Dead letters are left past those taken (`cap` replayable reached); run it again. */
  more: boolean;
}

/** Where letters left dead as no longer deliverable were bound: `pipeline → target`. */
export function leftDeadWhere(letters: readonly DeadLetter[]): string[] {
  return [...new Set(letters.map((d) => `${d.pipeline} → ${d.target}`))];
}

/** Counts `more` into `out`, listing them while fewer than LEFT_DEAD_LISTED are. */
function leaveDead(out: DeadLetter[], more: readonly DeadLetter[]): number {
  out.push(...more.slice(0, Math.max(0, LEFT_DEAD_LISTED - out.length)));
  return more.length;
}

/**
 * Up to `cap` dead letters (of `target`, when given) a replay can send, walking the list in its
 * order past those it leaves dead. The first `cap` alone were taken before: when those were all
 * left dead (a target gone from the config, a week's outage since superseded) every run took the
 * same ones and never reached the letters after them. Whole licenses only past the first page, as
 * takenAtOnce cuts.
 */
export async function replayableDeadLetters(
  config: Readonly<Config>,
  ledger: Ledger,
  target: string | undefined,
  cap = ALL_AT_ONCE,
): Promise<ReplayableDeadLetters> {
  const out: ReplayableDeadLetters = {
    letters: [],
    skipped: [],
    skippedCount: 0,
    skippedWhere: [],
    superseded: [],
    supersededCount: 0,
    more: false,
  };
  const where = new Set<string>();
  let after: DeadLetter | undefined;
  for (;;) {
    const room = cap - out.letters.length;
    // The first page is `cap` letters, which it may all replay; later ones no fewer than WALK_PAGE.
    const size = Math.max(room, Math.min(cap, WALK_PAGE));
    const list = await ledger.listDeadLetters({
      ...(target ? { target } : {}),
      ...(after ? { after } : {}),
      limit: size + 1,
    });
    const read = takenAtOnce(list, size, out.letters.length === 0);
    const readSkipped = read.filter((d) => !deliverable(config, d));
    const readSuperseded = supersededBy(read, await laterDeliveries(ledger, read)).map((s) => s.letter);
    const left = new Set([...readSkipped, ...readSuperseded].map((d) => d.key));
    // More to replay than there is room for: the rest is the next run's, read again then.
    const taken = upToRoom(read, left, room);
    const kept = new Set(taken.map((d) => d.key));
    const skipped = readSkipped.filter((d) => kept.has(d.key));
    for (const w of leftDeadWhere(skipped)) where.add(w);
    out.skippedCount += leaveDead(out.skipped, skipped);
    out.supersededCount += leaveDead(
      out.superseded,
      readSuperseded.filter((d) => kept.has(d.key)),
    );
    out.letters.push(...taken.filter((d) => !left.has(d.key)));
    out.skippedWhere = [...where];
    if (taken.length === list.length) return out;
    after = taken[taken.length - 1];
    if (after === undefined || taken.length < read.length || out.letters.length >= cap)
      return { ...out, more: true };
  }
}
