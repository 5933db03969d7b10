/**
 * A ledger that records the size of every answer handing over licenses (an array of objects with
 * a `sourceKey`) and of every `getVersions` request: what a check holds of the ledger at once.
 */
import type { Ledger } from '../../ledger/ledger.js';

export interface AnswerSize {
  method: string;
  n: number;
}

export function watchedLedger(ledger: Ledger, sizes: AnswerSize[]): Ledger {
  return new Proxy(ledger, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop === 'getVersions') sizes.push({ method: 'getVersions', n: (args[0] as unknown[]).length });
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(out instanceof Promise)) return out;
        return out.then((r: unknown) => {
          if (Array.isArray(r) && r.some((x) => typeof x === 'object' && x && 'sourceKey' in x))
            sizes.push({ method: String(prop), n: r.length });
          return r;
        });
      };
    },
  });
}
