/** Test helpers: small log files in a temporary folder, and reading them back. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readEvents, RowIssues, type LogEvent, type ReaderOptions } from '../../../src/core/logs';

export class TempDir {
  readonly root = mkdtempSync(path.join(tmpdir(), 'secml-logs-'));
  write(name: string, content: string | Buffer): string {
    const p = path.join(this.root, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  }
  writeGzip(name: string, content: string): string {
    return this.write(name, gzipSync(Buffer.from(content)));
  }
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export async function readAll(inputs: string[], options: ReaderOptions): Promise<{ events: LogEvent[]; issues: RowIssues }> {
  const issues = new RowIssues(Boolean(options.strict));
  const events: LogEvent[] = [];
  for await (const e of readEvents(inputs, options, { issues })) events.push(e);
  return { events, issues };
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export async function failure(fn: () => Promise<unknown>): Promise<{ code: string; message: string; file?: string; line?: number }> {
  try {
    await fn();
  } catch (e) {
    return e as { code: string; message: string; file?: string; line?: number };
  }
  throw new Error('expected an error');
}

export const SEED_HEADER = 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor';
export const seedRow = (s: string | number, t: string, act: string | number, bad: string | number) => `${s}\t${t}\tC1\tG1\tP1\t${act}\t${bad}`;

export function ctRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDA1', arn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIA1' },
    eventTime: '2023-07-10T11:42:36Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    sourceIPAddress: '10.0.0.1',
    userAgent: 'aws-cli/2.0',
    ...over,
  };
}
