/**
 * What a verifier test starts from, made once for a `describe` in a temporary folder removed after
 * it: a seal kit (keys made for the test), and, for the tests that tamper with a sealed file, a
 * food license issued and sealed with the kit's seal, with its parts as read from its archive.
 */
import { afterAll, beforeAll } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

export interface KitInUse {
  readonly kit: SealKit;
}

export interface SealedLicense extends KitInUse {
  /** The license file as sealed: it verifies against `kit.trust`. */
  readonly file: Buffer;
  /** The file's parts, each name with its bytes. */
  readonly parts: readonly { name: string; data: Buffer }[];
}

const made = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('sealed license: used before its beforeAll ran');
  return value;
};

/** Makes the kit before the enclosing `describe`'s tests and removes its folder after them. */
export function useSealKit(): KitInUse {
  let kit: SealKit | undefined;
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  beforeAll(async () => {
    tmp = makeTempDir();
    kit = await sealKit(tmp.dir);
  });
  afterAll(() => tmp?.cleanup());
  return {
    get kit() {
      return made(kit);
    },
  };
}

/** Makes the kit and seals a license with it before the enclosing `describe`'s tests. */
export function useSealedLicense(): SealedLicense {
  const inUse = useSealKit();
  let file: Buffer | undefined;
  let parts: { name: string; data: Buffer }[] | undefined;
  beforeAll(async () => {
    const seal = inUse.kit.sealSigner();
    await seal.open();
    try {
      [file] = (await issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal)) as [
        Buffer,
      ];
    } finally {
      await seal.close();
    }
    const archive = readZip(file);
    parts = archive.names.map((name) => ({ name, data: archive.read(name) }));
  });
  return {
    get kit() {
      return inUse.kit;
    },
    get file() {
      return made(file);
    },
    get parts() {
      return made(parts);
    },
  };
}
