import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { sealMakingFolder } from '../support/seal-making.js';

/** A seal-making folder for the describe block it is called in, and `seal make unit-seal` in it. */
export interface UnitSealMaker {
  readonly configFile: string;
  readonly sealFile: string;
  /** `seal make unit-seal` with the folder's maker, image, name and ESID, then `extra`. */
  make(...extra: string[]): ReturnType<typeof licbridge>;
}

/** Registers beforeAll/afterAll making and removing the folder; call inside a describe. */
export function unitSealMaker(): UnitSealMaker {
  let dir = '';
  let cleanup: () => void = () => {};
  let configFile = '';
  let sealFile = '';

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    configFile = join(dir, 'licbridge.yaml');
    sealFile = join(dir, 'seals', 'unit.esl');
    writeFileSync(configFile, sealMakingFolder(dir, 60));
  });
  afterAll(() => cleanup());

  return {
    get configFile() {
      return configFile;
    },
    get sealFile() {
      return sealFile;
    },
    make: (...extra: string[]) =>
      licbridge([
        'seal',
        'make',
        'unit-seal',
        '--maker',
        'seal-maker',
        '--image',
        join(dir, 'seal.png'),
        '--name',
        '测试单位电子证照专用章',
        '--esid',
        '3702110001',
        ...extra,
        '-c',
        configFile,
      ]),
  };
}
