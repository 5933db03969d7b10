/** The config of a `local-sm2` signer (its schema: ./kind.ts), as the loader returns it. */

export interface LocalSm2SignerConfig {
  readonly kind: 'local-sm2';
  /** PEM text of the PKCS#8 private key (usually `${file:…}`). One of `key` and `keyFile`. */
  readonly key?: string;
  /**
   * Absolute path of the PKCS#8 PEM key file. Unlike `key`, licbridge sees the file and refuses
   * one readable by group or others.
   */
  readonly keyFile?: string;
  /** Signing threads: `auto` one per core, 0 signs on the calling thread. @defaultValue `auto` */
  readonly workers?: 'auto' | number;
  /** Passphrase of an encrypted key (usually `${env:…}`). */
  readonly passphrase?: string;
  /** Absolute path of the seal's X.509 certificate (PEM). */
  readonly certificate?: string;
  /** Seal id recorded with every signature. */
  readonly sealId: string;
  /** SM2 distinguishing id. @defaultValue `1234567812345678` */
  readonly distId: string;
  /**
   * Absolute paths of the files `${file:…}` references in `key` read (set by the loader, not
   * written in the config), so the signer can refuse a key file others can read, as for `keyFile`.
   */
  readonly keyRefFiles?: readonly string[];
}
