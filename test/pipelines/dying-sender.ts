/** A sender killed between the platform's answer and the ledger's write, for the deliver tests. */
import type { Ledger } from '../../ledger/ledger.js';

/** The ledger as a sender sees it when it dies right after the platform's answer: nothing is written. */
export function dyingAfterTheAnswer(ledger: Ledger): Ledger {
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'recordDeliveryOutcomes')
        return async (outcomes: readonly unknown[]) => {
          if (outcomes.length === 0) return [];
          throw new Error('sender died before writing the answer');
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
