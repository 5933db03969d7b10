/**
 * Failures that must not quote the text they failed on: stored JSON holding a holder's name and ID
 * number that does not parse, whose SyntaxError (V8 quotes the text around an unexpected token)
 * would carry them into an error's message, its cause chain, a response or a log line.
 */
import { expect } from 'vitest';

export const HOLDER_NAME = '欧阳秀英';
export const HOLDER_ID = '11010519491231002X';

/** The holder's name, the ID number and every six characters of it. */
const PIECES = [
  HOLDER_NAME,
  ...Array.from({ length: HOLDER_ID.length - 5 }, (_, i) => HOLDER_ID.slice(i, i + 6)),
];

/** The error `f` throws; fails the test if it returns. */
export function thrownBy(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

/** The error `p` is rejected with; fails the test if it resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

/** One line per error of the chain, with every own property (message, stack, cause, context). */
export function ownProperties(e: unknown): string {
  const lines: string[] = [];
  for (let at: unknown = e, depth = 0; at !== undefined && depth < 10; depth++) {
    lines.push(JSON.stringify(at, Object.getOwnPropertyNames(at)));
    at = at instanceof Error ? at.cause : undefined;
  }
  return lines.join('\n');
}

/** Fails if `text` holds the holder's name, the ID number or any six characters of it. */
export function expectNothingPersonal(text: string): void {
  for (const piece of PIECES) expect(text).not.toContain(piece);
}
