/**
 * License files per second on one core: face laid out from the demo template, OFD built, sealed
 * (SES_Signature, SM2 on the calling thread) and stored atomically in a file store, each page made
 * while the page before is stored, as `sign files` runs them (adapters/documents/overlapped-pages.ts)
 * — against plain SM2 signing of the same licenses' canonical JSON in the same run (the baseline),
 * the two taking turns by rounds of pages. Wall rates and CPU time per item (the process's, all threads),
 * both per stage (and of a stage's CPU the main thread's own: the rest is the writing thread's and
 * V8's, run meanwhile on the one core), as totals and as the median batch (which leaves out the batches a garbage
 * collection or another process's burst fell in); the file size per license (fonts are named,
 * not embedded: nothing shared to count once). `taskset -c 1 node dist-bench/bench/license-files.js [N]` (default 10,000:
 * a stock backfill issues thousands of files in one process, and V8 compiles the file code for the
 * first few thousand of them, a cost once a process that a shorter run spreads over too few files
 * to read a file's own cost; docs/ofd.md, "A run of stock size"); needs `openssl` for test
 * certificates. Target: files ≥ 0.5 × baseline; every file ≤ 64 KB. The store
 * goes under the temporary folder (TMPDIR): its kernel time is mostly creating inodes, which the
 * run measures on that disk first (see docs/ofd.md, Cost); TMPDIR=/dev/shm shows the code's own.
 */
import { execFileSync } from 'node:child_process';
import { openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { layoutFace } from '../adapters/documents/face/layout.js';
import { LicenseFileStore, type StoredFile } from '../adapters/documents/file-store.js';
import { docInfoFor } from '../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../adapters/documents/ofd/ofd-package.js';
import { finishSignature, prepareSignatures } from '../adapters/documents/ofd/ofd-signature.js';
import { storeOverlapped } from '../adapters/documents/overlapped-pages.js';
import { drawRoundSeal } from '../adapters/documents/png-writer.js';
import type { LocalSm2SignerConfig } from '../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeSeal } from '../adapters/signers/ses/make-seal.js';
import { SealSigner } from '../adapters/signers/ses/seal-signer.js';
import { canonicalBytes } from '../catalog/canonical.js';
import type { FaceTemplate } from '../catalog/face-template.js';
import type { License } from '../catalog/license.js';

const N = Number(process.argv[2] ?? 10000);
const BATCH = 100;
/**
 * Pages each side runs in turn: files a round of pages one after another, each made while the one
 * before is stored as `sign files` does, then the baseline as many batches. Taking turns page by
 * page would leave the writing thread flushing a page while the baseline signs.
 */
const ROUND = 10;
/** Batches each side runs before the figures "after the first batches" start. */
const WARM_BATCHES = 5;
const ROOT = join(import.meta.dirname, '..', '..');

/** Surnames and given-name characters the bench's legal representatives are drawn from. */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '海涛明华建国志强秀英丽军平伟芳敏静磊洋艳勇杰娟霞刚桂兰玉萍鹏辉';

/**
 * A bench license: the fields every license of a batch shares in real stock (issuer, dates,
 * business form and items) the same, those of the holder (name, credit code, legal representative,
 * premises) its own or met again only hundreds of licenses later, so that a holder's boxes are laid
 * out anew as in real stock, not taken from the layout's memo of recent texts (face/layout.ts).
 */
function license(n: number): License {
  const representative = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}${GIVEN[Math.floor(n / (SURNAMES.length * GIVEN.length)) % GIVEN.length]}`;
  return {
    identifier: `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B${String(n).padStart(9, '0')}.001.F`,
    number: `JY2370211${String(n).padStart(7, '0')}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2021-03-04',
    validFrom: '2021-03-04',
    validTo: '2026-03-03',
    areaCode: '370211',
    holder: {
      name: `青岛海韵餐饮管理有限公司第${n}分店`,
      idType: '001',
      id: `91370211MA3C${String(n).padStart(6, '0')}`,
    },
    status: 'valid',
    surface: {
      legalRepresentative: representative,
      premises: `山东省青岛市黄岛区长江中路${n % 900}号海韵广场一层`,
      businessForm: '餐饮服务经营者（中型餐馆）',
      businessItems: ['热食类食品制售', '冷食类食品制售', '自制饮品制售', '预包装食品（含冷藏冷冻食品）销售'],
    },
  };
}

async function party(dir: string, name: string): Promise<LocalSm2SignerConfig> {
  const keyFile = join(dir, `${name}.key.pem`);
  const certificate = join(dir, `${name}.cert.pem`);
  await writeFile(keyFile, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  execFileSync('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    keyFile,
    '-sm3',
    '-sigopt',
    'distid:1234567812345678',
    '-subj',
    `/CN=${name}`,
    '-days',
    '30',
    '-out',
    certificate,
  ]);
  return { kind: 'local-sm2', keyFile, certificate, sealId: name, distId: '1234567812345678', workers: 0 };
}

/**
 * Kernel CPU to create one empty file (a new inode and a folder entry) in `dir` on this disk now,
 * µs: a license file makes two (its folder and itself). On ext4 this swings tenfold with how
 * many files were deleted there in the last minutes, so the store stage's kernel time is read
 * against it.
 */
async function emptyFileCost(dir: string, count = 200): Promise<number> {
  await mkdir(dir);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await (await open(join(dir, String(i)), 'wx')).close();
  return process.cpuUsage(before).system / count;
}

/**
 * CPU time so far of the process's main thread and of its other threads (V8's compiler and
 * garbage-collector helpers, the store's writing thread, libuv's pool), ms; undefined where
 * /proc/self/task is not there (Linux only). process.cpuUsage counts them all together, and on one
 * core they take the core from the main thread: V8 compiles and compiles again for the first
 * few thousand licenses (docs/ofd.md, Cost).
 */
function threadCpu(): { main: number; others: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    for (const task of readdirSync('/proc/self/task')) {
      // schedstat: nanoseconds on a CPU, first field.
      const ns = Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      if (task === String(process.pid)) main += ns / 1e6;
      else others += ns / 1e6;
    }
    return { main, others };
  } catch {
    // A thread that ended between the listing and the read, or no /proc: not reported.
    return undefined;
  }
}

/** `/proc/thread-self/schedstat` of the main thread, kept open: read again at each stage's end. */
let schedstat: number | undefined;
const schedstatBytes = Buffer.alloc(128);

/**
 * CPU time so far of the main thread alone, ms (schedstat, nanoseconds); 0 where /proc is not
 * there. A stage's CPU time (process.cpuUsage) is every thread's: on the one core the store's
 * writing thread places the page before while this one lays out the next, and its system calls
 * (creating files, on ext4 the dearest) were counted in the layout and OFD stages' kernel time.
 */
function mainThreadMs(): number {
  try {
    schedstat ??= openSync('/proc/thread-self/schedstat', 'r');
    const length = readSync(schedstat, schedstatBytes, 0, schedstatBytes.length, 0);
    return Number(schedstatBytes.toString('latin1', 0, length).split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-files-'));
  try {
    const template = (
      parse(await readFile(join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml'), 'utf8')) as {
        face: FaceTemplate;
      }
    ).face;
    const makerConf = await party(dir, 'maker');
    const holderConf = await party(dir, 'holder');
    const maker = new LocalSm2Signer('maker', makerConf);
    await maker.open();
    const seal = await makeSeal({
      maker,
      holderCertificatePem: await readFile(holderConf.certificate as string, 'utf8'),
      image: drawRoundSeal(240),
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000001',
      type: 2,
      widthMm: 42,
      heightMm: 42,
      vendorId: 'licbridge',
      now: new Date(),
    });
    await maker.close();
    await writeFile(join(dir, 'seal.esl'), seal.der);
    const licenses = Array.from({ length: N }, (_, i) => license(i + 1));

    // Baseline: plain SM2 signatures of the canonical JSON, one core (on the calling thread).
    const plain = new LocalSm2Signer('holder', holderConf);
    await plain.open();
    // License files: layout + OFD + SES seal + atomic store, one core.
    const sealSigner = new SealSigner(
      'district-seal',
      { file: join(dir, 'seal.esl'), signer: 'holder', status: 'active' },
      new LocalSm2Signer('holder', holderConf),
    );
    await sealSigner.open();
    const store = new LicenseFileStore(join(dir, 'files'));
    const inodeUs = await emptyFileCost(join(dir, 'probe'));
    const sizes: number[] = [];
    // Time by stage (the same calls issueLicenseFiles makes, taken apart).
    // `store`: the calling thread's part (the bytes copied for the writing thread, SM3 of each file);
    // `wait`: what is left of the wait for the writing thread once the next page is made.
    const stage = { layout: 0, ofd: 0, seal: 0, zip: 0, store: 0, wait: 0 };
    const stageCpu = { ...stage };
    // Of the CPU time, what the kernel spent (file system calls, page faults).
    const stageSys = { ...stage };
    // Of the CPU time, the main thread's (the stage's own work): the rest is other threads' that
    // ran meanwhile on the one core — the store's writing thread placing the page before, V8's
    // compiler and collector — and the interrupts of the disk's writes that came in meanwhile.
    const stageMain = { ...stage };
    let mainAt = mainThreadMs();
    // CPU per file of each batch, by stage and for the two sides: their medians leave out the
    // batches a garbage collection or another process's burst fell in, which the totals keep.
    const batchCpu: Record<keyof typeof stage | 'plain' | 'file', number[]> = {
      layout: [],
      ofd: [],
      seal: [],
      zip: [],
      store: [],
      wait: [],
      plain: [],
      file: [],
    };
    const median = (values: number[]): number => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    let stageCpuAt = process.cpuUsage();
    // Licenses in the batch being timed: the last one is short when N is not a multiple of BATCH.
    let inBatch = BATCH;
    const batchSizes: number[] = [];
    const lap = (key: keyof typeof stage, since: bigint): bigint => {
      const now = process.hrtime.bigint();
      stage[key] += Number(now - since) / 1e6;
      const cpu = process.cpuUsage();
      const spent = (cpu.user - stageCpuAt.user + cpu.system - stageCpuAt.system) / 1000;
      stageCpu[key] += spent;
      batchCpu[key].push(spent / inBatch);
      stageSys[key] += (cpu.system - stageCpuAt.system) / 1000;
      stageCpuAt = cpu;
      const main = mainThreadMs();
      stageMain[key] += main - mainAt;
      mainAt = main;
      return now;
    };
    // Baseline and files take turns batch by batch, so a load that comes and goes on a shared
    // machine weighs on both alike and their ratio holds.
    let plainNs = 0n;
    let fileNs = 0n;
    // Wall time of each batch, both sides: the ratio after the first batches (below).
    const batchNs: { plain: bigint[]; file: bigint[] } = { plain: [], file: [] };
    // CPU time of the process (all its threads) alongside: on a machine others load, wall rates
    // swing with the moment, CPU per item much less.
    let plainCpu = 0;
    let fileCpu = 0;
    const cpuSince = (since: NodeJS.CpuUsage): number => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    // Threads' CPU at the start, after the first WARM_BATCHES, at three quarters of the run and at
    // its end (both sides: a thread's time is not the one side's or the other's).
    const threadsAt: { at: number; cpu: ReturnType<typeof threadCpu> }[] = [];
    for (let first = 0; first < N; first += ROUND * BATCH) {
      // Threads' CPU at the start of each round and at the run's end (both sides: a thread's time
      // is not the one side's or the other's).
      threadsAt.push({ at: first, cpu: threadCpu() });
      const round = licenses.slice(first, first + ROUND * BATCH);
      for (let i = 0; i < round.length; i += BATCH) {
        const batch = round.slice(i, i + BATCH);
        const cpu = process.cpuUsage();
        const t = process.hrtime.bigint();
        await plain.sign(batch.map((l) => canonicalBytes(l)));
        const plainBatchNs = process.hrtime.bigint() - t;
        plainNs += plainBatchNs;
        batchNs.plain.push(plainBatchNs);
        const plainSpent = cpuSince(cpu);
        plainCpu += plainSpent;
        batchCpu.plain.push(plainSpent / batch.length);
      }
      // The files of the round as `sign files` issues pages (adapters/documents/overlapped-pages.ts):
      // each page laid out and sealed while the page before is written. A page's share of the time
      // runs from the start of its making to its store call (the wait for the page before within);
      // the wait for the round's last page goes to that page.
      let next = 0;
      let slotT = process.hrtime.bigint();
      let slotCpu = process.cpuUsage();
      stageCpuAt = slotCpu;
      mainAt = mainThreadMs();
      let at = slotT;
      const endSlot = (size: number, last: boolean): void => {
        const now = process.hrtime.bigint();
        const ns = now - slotT;
        const spent = cpuSince(slotCpu);
        const k = batchNs.file.length - 1;
        if (last) {
          batchNs.file[k] = (batchNs.file[k] as bigint) + ns;
          batchCpu.file[k] = (batchCpu.file[k] as number) + spent / size;
        } else {
          batchNs.file.push(ns);
          batchCpu.file.push(spent / size);
        }
        fileNs += ns;
        fileCpu += spent;
        slotT = now;
        slotCpu = process.cpuUsage();
      };
      await storeOverlapped<{ batch: License[]; files: Buffer[] }, StoredFile[]>({
        make: async () => {
          if (next >= round.length) return null;
          const batch = round.slice(next, next + BATCH);
          next += BATCH;
          inBatch = batch.length;
          batchSizes.push(batch.length);
          const signedAt = new Date();
          const layouts = batch.map((l) => layoutFace(template, l));
          at = lap('layout', at);
          const prepared = prepareSignatures(
            batch.map((l, k) => {
              const info = docInfoFor(l, signedAt);
              return {
                doc: buildOfd(layouts[k] as ReturnType<typeof layoutFace>, info),
                info,
                stamp: template.seal,
              };
            }),
            signedAt,
          );
          at = lap('ofd', at);
          const ses = await sealSigner.sign(
            prepared.map((p) => ({ dataHash: p.dataHash, propertyInfo: p.propertyInfo })),
            signedAt,
          );
          at = lap('seal', at);
          const files = prepared.map((p, k) => finishSignature(p, ses[k] as Uint8Array));
          at = lap('zip', at);
          return { batch, files };
        },
        store: (page) => {
          const stored = store.putMany(
            page.batch.map((l, k) => ({
              typeCode: l.type.code,
              licenseId: l.identifier.slice(0, -6),
              version: 1,
              bytes: page.files[k] as Buffer,
            })),
          );
          at = lap('store', at);
          endSlot(page.batch.length, false);
          return stored;
        },
        record: async (_page, stored) => {
          at = lap('wait', at);
          for (const f of stored) sizes.push(f.size);
        },
      });
      endSlot(batchSizes[batchSizes.length - 1] as number, true);
    }
    threadsAt.push({ at: N, cpu: threadCpu() });
    const plainSeconds = Number(plainNs) / 1e9;
    const fileSeconds = Number(fileNs) / 1e9;
    await plain.close();
    await sealSigner.close();

    const plainRate = N / plainSeconds;
    const fileRate = N / fileSeconds;
    const ratio = fileRate / plainRate;
    const maxKb = Math.max(...sizes) / 1024;
    const meanKb = sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024;
    const cpuRatio = plainCpu / fileCpu;
    const medianRatio = median(batchCpu.plain) / median(batchCpu.file);
    // The first batches of a process run the code before V8 has compiled it (its compiler's
    // threads share the one core): a cost per run, not per license, that weighs on a short run
    // (some 0.2 ms a file over 2,000 licenses) and on a long one hardly at all. The ratios with
    // the first WARM_BATCHES batches left out, both sides alike, and what those batches cost.
    const warm = Math.min(WARM_BATCHES, Math.floor(batchNs.file.length / 2));
    const sum = <T extends number | bigint>(values: T[], from: number, to = values.length): number =>
      values.slice(from, to).reduce((a, b) => a + Number(b), 0);
    const warmLicenses = Math.min(N, warm * BATCH);
    const afterWarm = {
      ratio: sum(batchNs.plain, warm) / sum(batchNs.file, warm),
      cpuRatio:
        sum(
          batchCpu.plain.map((v, k) => v * (batchSizes[k] as number)),
          warm,
        ) /
        sum(
          batchCpu.file.map((v, k) => v * (batchSizes[k] as number)),
          warm,
        ),
      firstCpuMsPerFile:
        warmLicenses === 0
          ? 0
          : sum(
              batchCpu.file.map((v, k) => v * (batchSizes[k] as number)),
              0,
              warm,
            ) / warmLicenses,
    };
    const rows = [
      [
        'plain SM2 signature (baseline)',
        plainRate.toFixed(0),
        '1.00',
        (plainCpu / N).toFixed(2),
        '1.00',
        median(batchCpu.plain).toFixed(3),
        '1.00',
        '—',
      ],
      [
        'render + seal + store (OFD file)',
        fileRate.toFixed(0),
        ratio.toFixed(2),
        (fileCpu / N).toFixed(2),
        cpuRatio.toFixed(2),
        median(batchCpu.file).toFixed(3),
        medianRatio.toFixed(2),
        `${meanKb.toFixed(1)} KB mean, ${maxKb.toFixed(1)} KB max`,
      ],
    ];
    process.stdout.write(
      `licenses: ${N}, pages of ${BATCH} (baseline and files in turn, ${ROUND} pages each; each page of files made while the one before is stored, as sign files does), one core (signing on the calling thread)\n`,
    );
    process.stdout.write(
      '| what | per second | × baseline | CPU ms each | × baseline (CPU) | median batch, CPU ms each | × baseline (median) | file size |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n',
    );
    for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
    process.stdout.write(
      '\n| stage | ms per file | CPU ms per file | of it kernel | of it the main thread | median batch, CPU ms per file |\n| --- | ---: | ---: | ---: | ---: | ---: |\n',
    );
    for (const [k, ms] of Object.entries(stage)) {
      const key = k as keyof typeof stage;
      process.stdout.write(
        `| ${k} | ${(ms / N).toFixed(2)} | ${(stageCpu[key] / N).toFixed(2)} | ${(stageSys[key] / N).toFixed(2)} | ${(stageMain[key] / N).toFixed(2)} | ${median(batchCpu[key]).toFixed(3)} |\n`,
      );
    }
    process.stdout.write(
      `\nafter the first ${warmLicenses} licenses (each side; before V8 has compiled the code, the first files took ${afterWarm.firstCpuMsPerFile.toFixed(2)} CPU ms each): × baseline ${afterWarm.ratio.toFixed(2)}, CPU ${afterWarm.cpuRatio.toFixed(2)}\n`,
    );
    // CPU ms a license (both sides) of the main thread and of the others, licenses from–to.
    const threadRows = threadsAt.slice(1).flatMap((end, k) => {
      const start = threadsAt[k] as (typeof threadsAt)[number];
      if (start.cpu === undefined || end.cpu === undefined || end.at === start.at) return [];
      const count = end.at - start.at;
      return [
        {
          licenses: `${start.at + 1}-${end.at}`,
          main: Number(((end.cpu.main - start.cpu.main) / count).toFixed(3)),
          others: Number(((end.cpu.others - start.cpu.others) / count).toFixed(3)),
        },
      ];
    });
    if (threadRows.length > 0) {
      process.stdout.write(
        `\nCPU ms a license (both sides) by thread: the main thread, and the others (V8 compiling and collecting, the store's writing thread): ${threadRows.map((r) => `licenses ${r.licenses} ${r.main} + ${r.others}`).join('; ')}\n`,
      );
    }
    process.stdout.write(
      `\ncreating an empty file here (before the run): ${(inodeUs / 1000).toFixed(3)} kernel CPU ms; a stored license file creates one (its shelf folder is made once, shared by the licenses on it)\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ licenses: N, plainPerSecond: Math.round(plainRate), filesPerSecond: Math.round(fileRate), ratio: Number(ratio.toFixed(3)), cpuMsPerSignature: Number((plainCpu / N).toFixed(3)), cpuMsPerFile: Number((fileCpu / N).toFixed(3)), cpuRatio: Number(cpuRatio.toFixed(3)), medianCpuRatio: Number(medianRatio.toFixed(3)), afterFirst: { licenses: warmLicenses, ratio: Number(afterWarm.ratio.toFixed(3)), cpuRatio: Number(afterWarm.cpuRatio.toFixed(3)), firstCpuMsPerFile: Number(afterWarm.firstCpuMsPerFile.toFixed(3)) }, meanFileKb: Number(meanKb.toFixed(2)), maxFileKb: Number(maxKb.toFixed(2)), emptyFileKernelMs: Number((inodeUs / 1000).toFixed(3)), threadCpuMsPerLicense: threadRows, ratioTargetMet: ratio >= 0.5, sizeTargetMet: maxKb <= 64, msPerFile: Object.fromEntries(Object.entries(stage).map(([k, ms]) => [k, Number((ms / N).toFixed(2))])), cpuMsPerFileByStage: Object.fromEntries(Object.entries(stageCpu).map(([k, ms]) => [k, Number((ms / N).toFixed(2))])), mainThreadCpuMsPerFileByStage: Object.fromEntries(Object.entries(stageMain).map(([k, ms]) => [k, Number((ms / N).toFixed(3))])), medianBatchCpuMs: Object.fromEntries(Object.entries(batchCpu).map(([k, v]) => [k, Number(median(v).toFixed(3))])) })}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
