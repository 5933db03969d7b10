/**
 * The point product of SM2 verification, s·G + t·P (GB/T 32918.2 §7.1 step B6), for public
 * scalars. A key seen for the first time goes through one shared doubling chain (Strauss–Shamir,
 * no table). A key that keeps coming back — the one seal key of a verify run, the maker key of a
 * seal stamped on every OFD, the remote signing server's key — gets a wNAF table of its own, and
 * G one too (a second instance of G: `Sm2Point.BASE` carries the blinded 11-bit signing window,
 * and an unsafe multiplication on it would build another 11-bit table, ~25,000 points). Then the
 * product is two table walks, ~44 additions each and no doublings: about 2.6× less CPU.
 *
 * Tables are kept per process (under a registered symbol, like the base point class: a test
 * runner that loads this module again per file still finds them), for a bounded number of keys.
 */
import { Sm2Point } from './curve.js';

/**
 * Width of the per-key and verification G tables. Measured in one run of `bench/verify.ts` (CPU
 * per verification against the shared chain, and the CPU to build G's and one key's table):
 * width 4 ≈ 0.46× and ≈45 ms; 6 ≈ 0.38× and ≈110 ms; 8 ≈ 0.32× and ≈270 ms. Width 6 pays for
 * its tables within a few dozen signatures of the key.
 */
export const VERIFY_WINDOW_BITS = 6;

/** A key's table is built on this use of the key: a key seen once or twice never pays for one. */
export const TABLE_AFTER_USES = 3;

/**
 * Keys remembered (least recently used dropped first). A width-6 table is 1,408 points
 * (≈0.3 MB), so the tables stay under ~10 MB; a key dropped and seen again starts over.
 */
export const MAX_VERIFY_KEYS = 32;

interface KeyEntry {
  uses: number;
  /** Our own instance of the key's point, with its table; null until the key has earned one. */
  table: Sm2Point | null;
}

interface VerifyTables {
  keys: Map<string, KeyEntry>;
  base: Sm2Point | null;
  tablesBuilt: number;
}

const SHARED = Symbol.for('licbridge.sm2.verify-tables');
const shared = globalThis as { [SHARED]?: VerifyTables };
shared[SHARED] ??= { keys: new Map(), base: null, tablesBuilt: 0 };
const state = shared[SHARED];

function keyOf(point: Sm2Point): string {
  const { x, y } = point.toAffine();
  return `${x.toString(16)}:${y.toString(16)}`;
}

function withTable(point: Sm2Point): Sm2Point {
  const own = Sm2Point.fromAffine(point.toAffine());
  // Lazy on purpose: precompute(w, false) builds its table with a secret-scalar multiplication,
  // i.e. the wider blinded table, which multiplyUnsafe never reads. The first multiplyUnsafe
  // builds the one it reads.
  own.precompute(VERIFY_WINDOW_BITS, true);
  own.multiplyUnsafe(2n);
  state.tablesBuilt++;
  return own;
}

function verificationBase(): Sm2Point {
  state.base ??= withTable(Sm2Point.BASE);
  return state.base;
}

/** The table for `key`, counting this use; null while the key has not been seen often enough. */
function tableFor(key: Sm2Point): Sm2Point | null {
  const id = keyOf(key);
  // Deleted and set again, so the Map's order is least recently used first.
  const entry = state.keys.get(id) ?? { uses: 0, table: null };
  state.keys.delete(id);
  entry.uses++;
  if (!entry.table && entry.uses >= TABLE_AFTER_USES) entry.table = withTable(key);
  state.keys.set(id, entry);
  if (state.keys.size > MAX_VERIFY_KEYS) {
    const oldest = state.keys.keys().next().value;
    if (oldest !== undefined) state.keys.delete(oldest);
  }
  return entry.table;
}

/**
 * s·G + t·P for public scalars 0 ≤ s, t < n and a valid public key P (variable time: only for
 * verification, never with a secret scalar).
 */
export function verifyProduct(s: bigint, key: Sm2Point, t: bigint): Sm2Point {
  const table = tableFor(key);
  if (!table) return Sm2Point.BASE.mulAddUnsafe(s, key, t);
  return verificationBase().multiplyUnsafe(s).add(table.multiplyUnsafe(t));
}

/** How many keys are remembered and how many tables were built in this process (tests, benches). */
export function verifyTableStats(): { keys: number; withTable: number; tablesBuilt: number } {
  let withTable = 0;
  for (const e of state.keys.values()) if (e.table) withTable++;
  return { keys: state.keys.size, withTable, tablesBuilt: state.tablesBuilt };
}

/** Forgets every key and table (benches measuring the cold path). */
export function clearVerifyTables(): void {
  state.keys.clear();
  state.base = null;
}
