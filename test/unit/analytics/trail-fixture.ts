/** The sample workspace's CloudTrail (what `secml sample` writes, seed 42), generated once per mocha process. */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSampleTrail, type SampleTrailSummary } from '../../../src/core/sample/cloudtrail/sample-trail';
import { SHARED_DATASETS } from '../../helpers/tools';

export const INVICTUS = path.join(SHARED_DATASETS, 'cloudtrail-invictus-stratus', 'CloudTrail');
export const GUARDDUTY = path.join(SHARED_DATASETS, 'guardduty');

let shared: Promise<{ dir: string; summary: SampleTrailSummary }> | undefined;
const created: string[] = [];
process.on('exit', () => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});

export function tempDir(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `secml-analytics-${tag}-`));
  created.push(dir);
  return dir;
}

/** `<dir>/AWSLogs/...`: two days (2024-05-13, 2024-05-14), the intruder on the second afternoon. */
export function sampleTrail(): Promise<{ dir: string; awsLogs: string; summary: SampleTrailSummary }> {
  shared ??= (async () => {
    const dir = tempDir('trail');
    return { dir, summary: await writeSampleTrail(dir, 42) };
  })();
  return shared.then((s) => ({ ...s, awsLogs: path.join(s.dir, 'AWSLogs') }));
}
