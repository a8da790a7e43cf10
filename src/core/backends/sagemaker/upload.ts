/**
 * Sends a variant's train/validation CSVs to `s3://<bucket>/<prefix>/<experiment>/<variant>/{train,validation}/`.
 * `plannedUploads` lists exactly what would leave the machine (files, byte ranges, sizes, destinations) so the UI can
 * ask for consent first; `uploadPlanned` sends it with multipart uploads and progress, skips objects already there with
 * the same SHA-256, and removes stale parts of an earlier sharding from the channel folder.
 * With several training instances the train CSV is split at line boundaries into one part per instance (ShardedByS3Key).
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AwsSession } from '../../aws/connection';
import { SecmlError } from '../../errors';
import { throttle, throwIfAborted, type WorkOptions } from '../../progress';
import { checkBucketName, checkKeyPrefix, s3Uri } from './validate';

export type Channel = 'train' | 'validation';

export interface UploadSource {
  experiment: string;
  variant: string;
  /** Folder with train.csv and validation.csv. */
  datasetDir: string;
}

export interface PlannedUpload {
  experiment: string;
  variant: string;
  channel: Channel;
  file: string;
  /** Byte range [start, end) of `file` (a whole file unless the train CSV is sharded). */
  start: number;
  end: number;
  bytes: number;
  bucket: string;
  key: string;
  /** s3://bucket/key */
  destination: string;
}

export interface UploadDestination {
  bucket: string;
  prefix: string;
  /** Training instances: above 1 the train CSV is split into this many parts. */
  instanceCount?: number;
}

/** Characters safe in an S3 key segment; anything else becomes `-`. */
export function keySegment(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'x';
}

export function variantKeyPrefix(dest: UploadDestination, experiment: string, variant: string): string {
  const prefix = checkKeyPrefix(dest.prefix);
  return [prefix, keySegment(experiment), keySegment(variant)].filter(Boolean).join('/');
}

/** The S3 prefix a channel reads (ends in `/`). */
export function channelS3Uri(dest: UploadDestination, experiment: string, variant: string, channel: Channel | 'output' | 'scoring'): string {
  return s3Uri(checkBucketName(dest.bucket), `${variantKeyPrefix(dest, experiment, variant)}/${channel}/`);
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (e) {
    throw new SecmlError('NOT_FOUND', `${file} is missing: flatten the dataset again (a variant needs train.csv and validation.csv).`, { file, cause: e });
  }
}

/** SageMaker XGBoost reads CSV with the label first and no header: a first field that is not a number means a header row. */
async function checkLabelFirst(file: string): Promise<void> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const first = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    const label = first.split(',', 1)[0].trim();
    if (first && (label === '' || !Number.isFinite(Number(label)))) {
      throw new SecmlError('BAD_ARGUMENT', `the first field "${label.slice(0, 40)}" is not a label: SageMaker XGBoost expects CSV with the label first and no header.`, { file, line: 1 });
    }
  } finally {
    await fh.close();
  }
}

/** Offsets just after a newline, near i/parts of the file, so every part holds whole lines. */
async function lineBoundaries(file: string, size: number, parts: number): Promise<number[]> {
  const fh = await fs.open(file, 'r');
  const cuts = [0];
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let i = 1; i < parts; i++) {
      let pos = Math.max(cuts[cuts.length - 1], Math.floor((size * i) / parts) - 1);
      let cut = size;
      while (pos < size) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) {
          cut = pos + nl + 1;
          break;
        }
        pos += bytesRead;
      }
      cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  return cuts;
}

/** What would leave the machine for these variants, in upload order. Reads only file sizes and a few bytes. */
export async function plannedUploads(sources: UploadSource[], dest: UploadDestination): Promise<PlannedUpload[]> {
  const bucket = checkBucketName(dest.bucket);
  const parts = Math.max(1, dest.instanceCount ?? 1);
  const plan: PlannedUpload[] = [];
  for (const src of sources) {
    const base = variantKeyPrefix(dest, src.experiment, src.variant);
    for (const channel of ['train', 'validation'] as const) {
      const file = path.join(src.datasetDir, `${channel}.csv`);
      const size = await fileSize(file);
      if (size === 0) throw new SecmlError('BAD_ARGUMENT', `${channel}.csv is empty: nothing to train on.`, { file });
      await checkLabelFirst(file);
      const cuts = channel === 'train' && parts > 1 ? await lineBoundaries(file, size, parts) : [0, size];
      const n = cuts.length - 1;
      for (let i = 0; i < n; i++) {
        if (cuts[i + 1] <= cuts[i]) {
          throw new SecmlError('BAD_ARGUMENT', `${channel}.csv has too few lines for ${parts} training instances: use fewer instances (secml.sagemaker.instanceCount).`, { file });
        }
        const name = n > 1 ? `${channel}-part-${String(i + 1).padStart(4, '0')}.csv` : `${channel}.csv`;
        const key = `${base}/${channel}/${name}`;
        plan.push({ experiment: src.experiment, variant: src.variant, channel, file, start: cuts[i], end: cuts[i + 1], bytes: cuts[i + 1] - cuts[i], bucket, key, destination: s3Uri(bucket, key) });
      }
    }
  }
  return plan;
}

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line per upload (`/data/v/train.csv (2.1 MB) -> s3://...`) and a total, for consent prompts and CLI output. */
export function describePlannedUploads(plan: PlannedUpload[]): { lines: string[]; total: string } {
  const sharded = (u: PlannedUpload) => plan.some((o) => o !== u && o.file === u.file);
  const lines = plan.map((u) => `${u.file}${sharded(u) ? ` [bytes ${u.start}-${u.end}]` : ''} (${sizeText(u.bytes)}) -> ${u.destination}`);
  return { lines, total: `${plan.length} file(s), ${sizeText(plan.reduce((a, u) => a + u.bytes, 0))}` };
}

async function sha256Of(u: PlannedUpload, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(u.file, { start: u.start, end: u.end - 1, signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface UploadSummary {
  uploaded: number;
  skipped: number;
  bytesSent: number;
  removedStale: number;
}

const HASH_META = 'secml-sha256';

async function alreadyThere(session: AwsSession, u: PlannedUpload, sha: string): Promise<boolean> {
  try {
    const head = await session.call(`Check ${u.destination}`, () => session.client(S3Client).send(new HeadObjectCommand({ Bucket: u.bucket, Key: u.key })));
    return head.ContentLength === u.bytes && head.Metadata?.[HASH_META] === sha;
  } catch (e) {
    if ((e as SecmlError).code === 'NOT_FOUND') return false;
    throw e;
  }
}

/** Deletes objects in the channel folders of this plan that the plan does not write (left from another sharding). */
async function removeStale(session: AwsSession, plan: PlannedUpload[]): Promise<number> {
  const s3 = session.client(S3Client);
  const wanted = new Set(plan.map((u) => `${u.bucket}/${u.key}`));
  const folders = new Map<string, string>();
  for (const u of plan) folders.set(`${u.bucket}/${u.key.slice(0, u.key.lastIndexOf('/') + 1)}`, u.bucket);
  let removed = 0;
  for (const [folder, bucket] of folders) {
    const prefix = folder.slice(bucket.length + 1);
    let token: string | undefined;
    do {
      const page = await session.call(`List s3://${folder}`, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
      const stale = (page.Contents ?? []).map((o) => o.Key!).filter((k) => k && !wanted.has(`${bucket}/${k}`));
      if (stale.length) {
        await session.call(`Delete stale objects in s3://${folder}`, () => s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.map((Key) => ({ Key })) } })));
        removed += stale.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return removed;
}

/** Uploads a plan from `plannedUploads`. Cancelling aborts the multipart upload in flight. */
export async function uploadPlanned(session: AwsSession, plan: PlannedUpload[], work: WorkOptions = {}): Promise<UploadSummary> {
  const total = plan.reduce((a, u) => a + u.bytes, 0);
  const report = throttle(work.onProgress, 250);
  const summary: UploadSummary = { uploaded: 0, skipped: 0, bytesSent: 0, removedStale: 0 };
  let done = 0;
  for (const u of plan) {
    throwIfAborted(work.signal);
    const sha = await sha256Of(u, work.signal);
    if (await alreadyThere(session, u, sha)) {
      summary.skipped++;
      done += u.bytes;
      work.logger?.info(`Unchanged, not uploaded again: ${u.destination}`);
      report({ message: `Unchanged: ${path.basename(u.key)}`, done, total, unit: 'bytes', fraction: total ? done / total : 1 }, true);
      continue;
    }
    const before = done;
    let current: Upload | undefined;
    // A new Upload (and read stream) per attempt: AwsSession.call retries once after expired credentials.
    const send = () => {
      current = new Upload({
        client: session.client(S3Client),
        params: { Bucket: u.bucket, Key: u.key, Body: createReadStream(u.file, { start: u.start, end: u.end - 1 }), ContentType: 'text/csv', Metadata: { [HASH_META]: sha } },
        queueSize: 4,
        partSize: 8 * 1024 * 1024,
      });
      current.on('httpUploadProgress', (p) => {
        const sent = Math.min(u.bytes, p.loaded ?? 0);
        report({ message: `Uploading ${u.variant}/${path.basename(u.key)}`, done: before + sent, total, unit: 'bytes', fraction: total ? (before + sent) / total : 1 });
      });
      return current.done();
    };
    const onAbort = () => void current?.abort().catch(() => {});
    work.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await session.call(`Upload ${u.file} to ${u.destination}`, send);
    } finally {
      work.signal?.removeEventListener('abort', onAbort);
    }
    throwIfAborted(work.signal);
    done = before + u.bytes;
    summary.uploaded++;
    summary.bytesSent += u.bytes;
    work.logger?.info(`Uploaded ${u.file} (${u.bytes} bytes) to ${u.destination}`);
    report({ message: `Uploaded ${u.variant}/${path.basename(u.key)}`, done, total, unit: 'bytes', fraction: total ? done / total : 1 }, true);
  }
  summary.removedStale = await removeStale(session, plan);
  return summary;
}
