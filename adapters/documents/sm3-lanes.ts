/**
 * SM3 (GB/T 32905-2016) of many messages at once: the digests node's `crypto.hash('sm3', …)`
 * gives, byte for byte, four messages at a time in WebAssembly SIMD (sm3-lanes-code.ts).
 *
 * A license file is hashed twice over: its page for the page's Reference (Signature.xml) and the
 * whole file for the ledger — some 30 KB a license, in OpenSSL's C code (≈ 300 MB/s here, no
 * vector code for SM3 on x86) a tenth of a file's CPU time. SM3 cannot be split within one
 * message, but a batch holds a hundred: side by side in four lanes they take well under half
 * the time (docs/ofd.md, Cost). Where the platform has no WebAssembly SIMD, or a batch is too
 * small to fill the lanes, OpenSSL hashes each message as before.
 */
import { hash } from 'node:crypto';
import { sm3LanesModule } from './sm3-lanes-code.js';

/** GB/T 32905 §4.1: the initial value. */
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

/** Where `run` finds the lane pointers (0) and the state (16, sm3-lanes-code.ts); messages from DATA on. */
const CTX = 0;
const STATE = 16;
const DATA = 256;
/**
 * Padded message bytes placed in the module's memory at a time: the memory is made this size
 * once and never grown. Growing detaches the old buffer, and the first buffer a process detaches
 * makes V8 throw away all optimised code reading typed arrays (atomic-file.ts). A message
 * longer than this goes to OpenSSL.
 */
const CHUNK = 4 * 1024 * 1024;
const WASM_PAGE = 65536;
/** Fewer messages than this go to OpenSSL: with most lanes empty the lanes gain nothing. */
const FEW = 3;

/** The WebAssembly calls used here (the project's TypeScript libraries, without DOM, declare none). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Absent under `node --jitless`, for one. */
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface Lanes {
  memory: { buffer: ArrayBuffer };
  run: (ctx: number, blocks: number) => void;
}

let lanes: Lanes | null | undefined;

/** The module, made on first use; null where it cannot run or does not give SM3's known answer. */
function instance(): Lanes | null {
  if (lanes !== undefined) return lanes;
  lanes = null;
  if (wasm === undefined) return lanes;
  try {
    const memory = new wasm.Memory({ initial: Math.ceil((DATA + CHUNK) / WASM_PAGE) });
    const made = new wasm.Instance(new wasm.Module(sm3LanesModule()), { m: { memory } });
    const candidate = { memory, run: made.exports.run as Lanes['run'] };
    // GB/T 32905 Appendix A's first example in every lane.
    const abc = Buffer.from('abc');
    const known = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
    if (hashChunk(candidate, [abc, abc, abc, abc], 0, 4).every((d) => d.toString('hex') === known))
      lanes = candidate;
  } catch {
    // No WebAssembly SIMD here (V8 on a processor without it): OpenSSL hashes every message.
  }
  return lanes;
}

/** Whether `sm3Many` runs lanes on this platform (false: OpenSSL for every message). */
export function sm3LanesAvailable(): boolean {
  return instance() !== null;
}

function padded(length: number): number {
  return Math.ceil((length + 9) / 64) * 64;
}

/**
 * The SM3 of each message, in order (32 bytes each). `via: 'openssl'` hashes each with node's
 * crypto instead: the same digests, for comparison.
 */
export function sm3Many(messages: readonly Uint8Array[], via: 'lanes' | 'openssl' = 'lanes'): Buffer[] {
  const run = via === 'lanes' && messages.length >= FEW ? instance() : null;
  if (run === null) return messages.map((m) => hash('sm3', m, 'buffer'));
  const out: Buffer[] = [];
  for (let from = 0; from < messages.length; ) {
    const first = messages[from] as Uint8Array;
    if (padded(first.length) > CHUNK) {
      out.push(hash('sm3', first, 'buffer'));
      from++;
      continue;
    }
    let to = from + 1;
    let bytes = padded(first.length);
    for (; to < messages.length; to++) {
      const size = padded((messages[to] as Uint8Array).length);
      if (bytes + size > CHUNK) break;
      bytes += size;
    }
    for (const digest of hashChunk(run, messages, from, to)) out.push(digest);
    from = to;
  }
  return out;
}

/** Which message each of the four lanes holds (−1: none), its blocks left, and what is still to take. */
class LaneWork {
  readonly held = [-1, -1, -1, -1];
  readonly left = [0, 0, 0, 0];
  taken = 0;

  constructor(
    readonly view: DataView,
    readonly order: readonly number[],
    readonly blocks: readonly number[],
    readonly starts: readonly number[],
  ) {}
}

/**
 * Gives `lane` the next message in order, its pointer and SM3's initial value — or none when all
 * are taken. A function of the module, not a closure made in every call: V8 compiled each new
 * closure of it again.
 */
function take(work: LaneWork, lane: number): void {
  const { held, left, order, view } = work;
  if (work.taken === order.length) {
    held[lane] = -1;
    return;
  }
  const k = order[work.taken++] as number;
  held[lane] = k;
  left[lane] = work.blocks[k] as number;
  view.setUint32(CTX + 4 * lane, work.starts[k] as number, true);
  for (let s = 0; s < 8; s++) view.setUint32(STATE + 16 * s + 4 * lane, IV[s] as number, true);
}

/**
 * Messages `from` … `to` − 1 (their padded bytes fit in CHUNK) placed one after another and
 * hashed in the four lanes: each lane takes the next message when its own is done, the longest
 * first so that the lanes run out together. A lane with nothing left goes over another lane's
 * blocks, its result not read.
 */
function hashChunk(run: Lanes, messages: readonly Uint8Array[], from: number, to: number): Buffer[] {
  const memory = new Uint8Array(run.memory.buffer);
  const view = new DataView(run.memory.buffer);
  const count = to - from;
  const starts = new Array<number>(count);
  const blocks = new Array<number>(count);
  let at = DATA;
  for (let k = 0; k < count; k++) {
    const message = messages[from + k] as Uint8Array;
    const size = padded(message.length);
    memory.set(message, at);
    // GB/T 32905 §5.2: a 1 bit, zeros, the length in bits as 64 bits big-endian.
    memory[at + message.length] = 0x80;
    memory.fill(0, at + message.length + 1, at + size - 8);
    view.setUint32(at + size - 8, Math.floor(message.length / 0x20000000));
    view.setUint32(at + size - 4, (message.length * 8) >>> 0);
    starts[k] = at;
    blocks[k] = size / 64;
    at += size;
  }
  const order = Array.from({ length: count }, (_, k) => k).sort(
    (p, q) => (blocks[q] as number) - (blocks[p] as number),
  );
  const out = new Array<Buffer>(count);
  // The digests as views of one buffer: one allocation for the chunk, not one per message.
  const digests = Buffer.allocUnsafeSlow(32 * count);
  const lanes = new LaneWork(view, order, blocks, starts);
  const { held, left } = lanes;
  for (let lane = 0; lane < 4; lane++) take(lanes, lane);
  for (;;) {
    let busy = -1;
    let step = Number.POSITIVE_INFINITY;
    for (let lane = 0; lane < 4; lane++) {
      if (held[lane] === -1) continue;
      busy = lane;
      step = Math.min(step, left[lane] as number);
    }
    if (busy === -1) return out;
    const along = view.getUint32(CTX + 4 * busy, true);
    for (let lane = 0; lane < 4; lane++) if (held[lane] === -1) view.setUint32(CTX + 4 * lane, along, true);
    run.run(CTX, step);
    for (let lane = 0; lane < 4; lane++) {
      const k = held[lane] as number;
      if (k === -1) continue;
      left[lane] = (left[lane] as number) - step;
      if (left[lane] !== 0) continue;
      const digest = digests.subarray(32 * k, 32 * k + 32);
      for (let s = 0; s < 8; s++)
        digest.writeUInt32BE(view.getUint32(STATE + 16 * s + 4 * lane, true), 4 * s);
      out[k] = digest;
      take(lanes, lane);
    }
  }
}
