import type { Ledger } from '../../ledger/ledger.js';

type LicenseFiles = Ledger['licenseFiles'];
type RowRead = (...args: never[]) => Promise<readonly unknown[]>;
/** The `licenseFiles` methods that read rows. */
export type RowReadName = {
  [K in keyof LicenseFiles]: LicenseFiles[K] extends RowRead ? K : never;
}[keyof LicenseFiles];

/** The ledger, its file rows read through `licenseFiles[method]` counted: the most rows one read returned. */
export function watched(ledger: Ledger, method: RowReadName): { ledger: Ledger; mostAtOnce: () => number } {
  let most = 0;
  const licenseFiles = new Proxy(ledger.licenseFiles, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== method) return value;
      return async (...args: unknown[]) => {
        const rows = await (target[method] as (...a: unknown[]) => Promise<readonly unknown[]>).apply(
          target,
          args,
        );
        most = Math.max(most, rows.length);
        return rows;
      };
    },
  });
  const proxy = new Proxy(ledger, {
    get: (target, key, receiver) =>
      key === 'licenseFiles' ? licenseFiles : Reflect.get(target, key, receiver),
  });
  return { ledger: proxy, mostAtOnce: () => most };
}
