/**
 * A worker_threads pool that signs with the SM2 kernel on every core. A batch is split into one
 * contiguous slice per worker (each slice goes to the least-loaded worker) and the results are
 * put back in order, so `sign(messages)` keeps the contract's ordering.
 *
 * The worker's code is the kernel's own source text (see sign-kernel.ts), so the pool needs no
 * separate worker file — which would not exist when running from the TypeScript sources.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createSm2SignKernel, type Sm2KernelMaterial, type Sm2KernelOutput } from './sign-kernel.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const kernel = (${createSm2SignKernel.toString()})(require('node:crypto'), workerData);
parentPort.on('message', (msg) => {
  try {
    const out = msg.kind === 'messages' ? kernel.signMessages(msg.items) : kernel.signDigests(msg.items);
    parentPort.postMessage({ id: msg.id, out });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.message) || e) });
  }
});
`;

/**
 * A batch lost with its worker thread (the thread died, could not start, or the pool was closed
 * under it), not refused by the kernel: signing it again on a new thread can succeed.
 */
export class Sm2WorkerLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sm2WorkerLost';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  size: number;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  load: number;
  /** The worker has exited or failed; a new one takes its place when the next batch comes. */
  dead: boolean;
}

/** Smallest slice worth a round trip to a worker (≈ 10 ms of signing). */
const MIN_SLICE = 32;

/** `auto` → one worker per core as Node reports it (`os.availableParallelism()`). */
export function resolvePoolSize(workers: 'auto' | number | undefined): number {
  if (workers === undefined || workers === 'auto') return Math.max(1, availableParallelism());
  return workers;
}

/** Throws unless `size` is a thread count a pool can have (a whole number ≥ 1). */
export function assertPoolSize(size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`sm2 pool: size must be ≥ 1, got ${size}`);
}

export class Sm2WorkerPool {
  readonly size: number;
  readonly #material: Sm2KernelMaterial;
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;

  constructor(material: Sm2KernelMaterial, size: number) {
    assertPoolSize(size);
    this.size = size;
    this.#material = material;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    // The private scalar travels by structured clone in memory only; it is never logged.
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.#material });
    const slot: Slot = { worker, pending: new Map(), load: 0, dead: false };
    worker.on('message', (msg: { id: number; out?: unknown; error?: string }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      slot.load -= p.size;
      if (msg.error !== undefined) p.reject(new Error(`sm2 worker: ${msg.error}`));
      else p.resolve(msg.out);
    });
    const fail = (error: Error) => {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      slot.load = 0;
      // Replaced when the next batch comes (#run), not here: a worker that cannot start (no thread
      // to be had, no memory) failed again at once, and replacing it on the spot started ~40
      // threads a second on every core until the pool was closed.
      slot.dead = true;
    };
    // Its code or name, not its message: a thread that fails as it starts quotes what it was
    // started with (`Cannot convert 0x… to a BigInt`), the private scalar included.
    worker.on('error', (e: Error & { code?: unknown }) =>
      fail(new Sm2WorkerLost(`sm2 worker: failed (${typeof e.code === 'string' ? e.code : e.name})`)),
    );
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Sm2WorkerLost(`sm2 worker: exited with code ${code}`));
    });
    return slot;
  }

  /** A worker in place of each that died since the last batch, so the pool keeps its size. */
  #refill(): void {
    for (const [i, slot] of this.#slots.entries()) if (slot.dead) this.#slots[i] = this.#spawn();
  }

  #run<T>(kind: 'messages' | 'digests', items: readonly Uint8Array[]): Promise<T[]> {
    const slot = this.#slots.reduce((a, b) => (b.load < a.load ? b : a));
    const id = this.#nextId++;
    slot.load += items.length;
    return new Promise<unknown>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, size: items.length });
      slot.worker.postMessage({ id, kind, items });
    }) as Promise<T[]>;
  }

  async #split<T>(kind: 'messages' | 'digests', items: readonly Uint8Array[]): Promise<T[]> {
    if (this.#closed) throw new Sm2WorkerLost('sm2 pool: closed');
    if (items.length === 0) return [];
    this.#refill();
    const slices = Math.max(1, Math.min(this.size, Math.ceil(items.length / MIN_SLICE)));
    const per = Math.ceil(items.length / slices);
    const parts: Promise<T[]>[] = [];
    for (let i = 0; i < items.length; i += per) parts.push(this.#run<T>(kind, items.slice(i, i + per)));
    return (await Promise.all(parts)).flat();
  }

  signMessages(messages: readonly Uint8Array[]): Promise<Sm2KernelOutput[]> {
    return this.#split<Sm2KernelOutput>('messages', messages);
  }

  signDigests(digests: readonly Uint8Array[]): Promise<Uint8Array[]> {
    return this.#split<Uint8Array>('digests', digests);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const slots = this.#slots.splice(0);
    for (const slot of slots)
      for (const p of slot.pending.values()) p.reject(new Sm2WorkerLost('sm2 pool: closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
