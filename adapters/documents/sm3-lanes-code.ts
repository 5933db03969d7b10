/**
 * The WebAssembly module behind `sm3Many` (sm3-lanes.ts): SM3's compression function (GB/T
 * 32905-2016 §5.3) over four messages at once, one in each 32-bit lane of SIMD vectors. SM3 is
 * a chain (each block needs the one before), so one message cannot go faster than OpenSSL's C
 * code; four independent ones side by side take about the time of two.
 *
 * Written out here as the module's bytes rather than kept as a compiled blob: the 64 rounds are
 * unrolled (the round constants and the registers' roles fixed at each one), so the code is a
 * short generator and the module some 19 KB, made once a process.
 *
 * `run(ctx, blocks)` reads from memory at `ctx`: four lane pointers (i32, 0–15), then the eight
 * state words A…H as vectors (16 bytes each, lane n at +4n, 16–143). It compresses `blocks`
 * 64-byte blocks of each lane from its pointer on, and writes the state and the advanced
 * pointers back.
 */

// Opcodes (WebAssembly core 2.0; the SIMD ones follow the 0xfd prefix, LEB128).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;
const SHUFFLE = 0x0d;
const OR = 0x50;
const XOR = 0x51;
/** v128.bitselect(a, b, mask): a where mask is 1, b where it is 0. */
const SELECT = 0x52;
const SHL = 0xab;
const SHR_U = 0xad;
const ADD = 0xae;

// Two rows of words (one lane each) interleaved pairwise, then pairs of those merged with each
// word's bytes reversed (SM3 reads big-endian words): a 4 × 4 transpose of words in 8 shuffles.
const PAIR_LOW = [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23];
const PAIR_HIGH = [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31];
const SWAP_LOW = [3, 2, 1, 0, 7, 6, 5, 4, 19, 18, 17, 16, 23, 22, 21, 20];
const SWAP_HIGH = [11, 10, 9, 8, 15, 14, 13, 12, 27, 26, 25, 24, 31, 30, 29, 28];

/**
 * Bytes written one at a time into one typed array, grown by doubling: no small arrays made per
 * instruction, and no array of numbers to copy into the module at the end.
 */
class Code {
  private buf = new Uint8Array(32_768);
  length = 0;

  /** The bytes written so far (a view, not a copy). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
    return this;
  }

  append(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i] as number);
    return this;
  }

  leb(n: number): this {
    let rest = n >>> 0;
    for (;;) {
      const low = rest & 0x7f;
      rest >>>= 7;
      if (rest === 0) return this.byte(low);
      this.byte(low | 0x80);
    }
  }

  op(code: number): this {
    return this.byte(code);
  }

  simd(code: number): this {
    return this.byte(0xfd).leb(code);
  }

  get(local: number): this {
    return this.op(LOCAL_GET).leb(local);
  }

  set(local: number): this {
    return this.op(LOCAL_SET).leb(local);
  }

  /** i32.const of a small non-negative number (shift counts and offsets, under 8,192). */
  i32(n: number): this {
    this.byte(I32_CONST);
    if (n < 64) return this.byte(n);
    return this.byte((n & 0x7f) | 0x80).byte(n >>> 7);
  }

  /** v128.load / v128.store at a constant offset, 16-byte aligned. */
  load(offset: number): this {
    return this.simd(V128_LOAD).op(4).leb(offset);
  }

  store(offset: number): this {
    return this.simd(V128_STORE).op(4).leb(offset);
  }

  shuffle(lanes: readonly number[]): this {
    return this.simd(SHUFFLE).append(lanes);
  }

  /** The same 32-bit word in all four lanes. */
  splat(word: number): this {
    this.simd(V128_CONST);
    for (let lane = 0; lane < 4; lane++)
      this.byte(word & 0xff)
        .byte((word >>> 8) & 0xff)
        .byte((word >>> 16) & 0xff)
        .byte((word >>> 24) & 0xff);
    return this;
  }

  /** Pushes local `i` rotated left by `n` in each lane (SIMD has no rotation: two shifts and an or). */
  rotl(i: number, n: number): this {
    return this.get(i)
      .i32(n)
      .simd(SHL)
      .get(i)
      .i32(32 - n)
      .simd(SHR_U)
      .simd(OR);
  }
}

type Eight = [number, number, number, number, number, number, number, number];

function body(): Uint8Array {
  // Locals: 0 ctx, 1 blocks (parameters); 2–5 the lane pointers (i32); then v128s.
  let next = 6;
  const vector = (): number => next++;
  const state = Array.from({ length: 8 }, vector) as Eight;
  const saved = Array.from({ length: 8 }, vector);
  const w = Array.from({ length: 68 }, vector);
  const [r0, r1, r2, r3] = [vector(), vector(), vector(), vector()];
  const [p0, p1, p2, p3] = [vector(), vector(), vector(), vector()];
  const x = vector();
  const y = vector();
  const z = vector();
  const W = (j: number): number => w[j] as number;
  const c = new Code();
  for (let lane = 0; lane < 4; lane++)
    c.get(0)
      .op(0x28)
      .op(2)
      .leb(lane * 4)
      .set(2 + lane); // i32.load
  for (let k = 0; k < 8; k++)
    c.get(0)
      .load(16 + 16 * k)
      .set(state[k] as number);
  c.op(0x03).op(0x40); // loop, no result
  for (let k = 0; k < 8; k++) c.get(state[k] as number).set(saved[k] as number);
  // W0…W15: words 4g…4g+3 of the four lanes.
  for (let g = 0; g < 4; g++) {
    const rows = [r0, r1, r2, r3];
    for (let lane = 0; lane < 4; lane++)
      c.get(2 + lane)
        .load(16 * g)
        .set(rows[lane] as number);
    c.get(r0).get(r1).shuffle(PAIR_LOW).set(p0).get(r0).get(r1).shuffle(PAIR_HIGH).set(p1);
    c.get(r2).get(r3).shuffle(PAIR_LOW).set(p2).get(r2).get(r3).shuffle(PAIR_HIGH).set(p3);
    c.get(p0)
      .get(p2)
      .shuffle(SWAP_LOW)
      .set(W(4 * g));
    c.get(p0)
      .get(p2)
      .shuffle(SWAP_HIGH)
      .set(W(4 * g + 1));
    c.get(p1)
      .get(p3)
      .shuffle(SWAP_LOW)
      .set(W(4 * g + 2));
    c.get(p1)
      .get(p3)
      .shuffle(SWAP_HIGH)
      .set(W(4 * g + 3));
  }
  // Message expansion, each word just before the round that first reads it (W[j + 4]): fewer
  // vectors live at once than expanding all 52 first.
  const expand = (j: number): void => {
    // P1(W[j−16] ⊕ W[j−9] ⊕ (W[j−3] <<< 15)) ⊕ (W[j−13] <<< 7) ⊕ W[j−6]; P1(v) = v ⊕ v<<<15 ⊕ v<<<23
    c.get(W(j - 16))
      .get(W(j - 9))
      .simd(XOR)
      .rotl(W(j - 3), 15)
      .simd(XOR)
      .set(x);
    c.get(x).rotl(x, 15).simd(XOR).rotl(x, 23).simd(XOR);
    c.rotl(W(j - 13), 7)
      .simd(XOR)
      .get(W(j - 6))
      .simd(XOR)
      .set(W(j));
  };
  let [a, b, cc, d, e, f, g, h] = state;
  for (let j = 0; j < 64; j++) {
    if (j + 4 >= 16) expand(j + 4);
    const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const tj = j % 32 === 0 ? t : ((t << (j % 32)) | (t >>> (32 - (j % 32)))) >>> 0;
    c.rotl(a, 12).set(x); // x = A <<< 12
    c.get(x).get(e).simd(ADD).splat(tj).simd(ADD).set(y).rotl(y, 7).set(y); // y = SS1
    c.get(y).get(x).simd(XOR).set(x); // x = SS2
    // TT1 = FF(A, B, C) + D + SS2 + (Wj ⊕ Wj+4), into D's register (D is not read again).
    // FF for j ≥ 16 is the majority: C where A and B differ, else A.
    if (j < 16) c.get(a).get(b).simd(XOR).get(cc).simd(XOR);
    else c.get(cc).get(a).get(a).get(b).simd(XOR).simd(SELECT);
    c.get(d)
      .simd(ADD)
      .get(x)
      .simd(ADD)
      .get(W(j))
      .get(W(j + 4))
      .simd(XOR)
      .simd(ADD)
      .set(d);
    // TT2 = GG(E, F, G) + H + SS1 + Wj; GG for j ≥ 16 is F where E is 1, else G.
    if (j < 16) c.get(e).get(f).simd(XOR).get(g).simd(XOR);
    else c.get(f).get(g).get(e).simd(SELECT);
    c.get(h).simd(ADD).get(y).simd(ADD).get(W(j)).simd(ADD).set(z);
    c.rotl(b, 9).set(b); // C' = B <<< 9
    c.rotl(f, 19).set(f); // G' = F <<< 19
    c.get(z).rotl(z, 9).simd(XOR).rotl(z, 17).simd(XOR).set(h); // E' = P0(TT2), into H's register
    // The registers change roles instead of values moving: after 64 rounds each is back in place.
    [a, b, cc, d, e, f, g, h] = [d, a, b, cc, h, e, f, g];
  }
  for (let k = 0; k < 8; k++)
    c.get(state[k] as number)
      .get(saved[k] as number)
      .simd(XOR)
      .set(state[k] as number);
  for (let lane = 0; lane < 4; lane++)
    c.get(2 + lane)
      .i32(64)
      .op(0x6a)
      .set(2 + lane); // i32.add
  // blocks − 1 (i32.sub, local.tee), again while not zero (br_if 0), end of the loop.
  c.get(1).i32(1).op(0x6b).op(0x22).op(1).op(0x0d).op(0).op(0x0b);
  for (let k = 0; k < 8; k++)
    c.get(0)
      .get(state[k] as number)
      .store(16 + 16 * k);
  for (let lane = 0; lane < 4; lane++)
    c.get(0)
      .get(2 + lane)
      .op(0x36)
      .op(2)
      .leb(lane * 4); // i32.store
  c.op(0x0b);
  // Local declarations (4 × i32, then the v128s), known only now, go before the code.
  return new Code()
    .op(2)
    .op(4)
    .op(0x7f)
    .leb(next - 6)
    .op(0x7b)
    .append(c.bytes).bytes;
}

function section(out: Code, id: number, bytes: ArrayLike<number>): void {
  out.op(id).leb(bytes.length).append(bytes);
}

function name(text: string): number[] {
  return [text.length, ...Buffer.from(text, 'latin1')];
}

/** The module: imports `m.memory`, exports `run(ctx: i32, blocks: i32)` (sm3-lanes.ts builds it once). */
export function sm3LanesModule(): Uint8Array {
  const code = body();
  const out = new Code();
  out.append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(out, 1, [1, 0x60, 2, 0x7f, 0x7f, 0]); // type: (i32, i32) → ()
  section(out, 2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 0x01]); // memory, at least one page
  section(out, 3, [1, 0]);
  section(out, 7, [1, ...name('run'), 0x00, 0]);
  const entry = new Code().op(1).leb(code.length).bytes;
  out
    .op(10)
    .leb(entry.length + code.length)
    .append(entry)
    .append(code);
  return out.bytes.slice();
}
