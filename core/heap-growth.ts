/**
 * How far V8 lets a worker process's heap grow between full collections.
 *
 * A process that runs pipeline workers (`licbridge run`, `licbridge worker`, and every command that
 * starts them) keeps little alive — ~45 MB after a full collection on a 100,000-row run — but
 * allocates a page of licenses after another. V8's own growth factor, chosen at each collection
 * between 1.1 and 4, let the old generation grow to ~4 × what was alive before collecting, and
 * peak RSS followed (bench/pipeline.ts, docs/operations.md "Memory"). A factor of 2 holds the heap
 * to about twice the live data, for about the same CPU in garbage collection.
 *
 * V8 reads the factor at each collection, so it can be set once the process runs; V8 keeps one
 * set of flags a process, so it holds for the signer's worker threads too. An operator's own
 * `--heap-growing-percent` on node's command line wins: it is left as is. (Node refuses to start
 * with it in `NODE_OPTIONS`, which takes only the V8 flags Node lists; it is looked for there too.)
 */
import { setFlagsFromString } from 'node:v8';

/** The heap growth, percent, set for a process that runs workers: a factor of 1 + 100/100 = 2. */
export const HEAP_GROWING_PERCENT = 100;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

let applied = false;

/**
 * The flag to set for a process started with `execArgv` and `nodeOptions`, or undefined where the
 * operator gave `--heap-growing-percent` there.
 */
export function heapGrowthFlag(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string | undefined {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => FLAG.test(a));
  return given ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets V8's heap growth for this process once, unless the operator gave one (see {@link heapGrowthFlag}). */
export function limitHeapGrowth(): void {
  if (applied) return;
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
  applied = flag !== undefined;
}

/** Whether {@link limitHeapGrowth} set the growth in this process. */
export function heapGrowthLimited(): boolean {
  return applied;
}
