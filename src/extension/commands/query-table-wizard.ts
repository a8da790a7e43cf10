/**
 * "SecML: Create CloudTrail Table": asks for the bucket and prefix, single-account or organisation trail, accounts,
 * regions, the first day of logs and the partition form, then writes the Athena DDL (cloudtrail-ddl.ts) into
 * queries/<table>.sql and opens it, ready to run on Athena from its CodeLens. Passing the options as the command's
 * argument skips the questions (automation, tests).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Services } from '../services';
import { writeFileAtomic } from '../../core/fs-atomic';
import { cloudTrailTableDdl, ddlFieldProblem, type CloudTrailTableOptions, type DdlField } from '../../core/query/cloudtrail-ddl';
import type { QueryEngines } from './query-engines';
import { showInfo, showWarning } from '../notify';

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-south-1', 'ap-south-2', 'ap-east-1',
  'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
];

async function ask(title: string, field: DdlField, value = '', prompt?: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: (v) => ddlFieldProblem(field, v.trim()) });
}

async function askList(title: string, field: DdlField, prompt: string): Promise<string[] | undefined> {
  const split = (v: string) => v.split(/[\s,]+/).filter(Boolean);
  const v = await vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (text) => (split(text).length === 0 ? 'Give at least one.' : split(text).map((x) => ddlFieldProblem(field, x)).find(Boolean)),
  });
  return v === undefined ? undefined : split(v);
}

/** The questions, in order; undefined when the user gives up. */
async function askTableOptions(defaultTable: string): Promise<CloudTrailTableOptions | undefined> {
  const step = (n: number) => `Create CloudTrail Table (${n}/8)`;
  const bucket = await ask(step(1), 'bucket', '', 'The S3 bucket your trail delivers to');
  if (bucket === undefined) return undefined;
  const prefix = await ask(step(2), 'prefix', '', 'Key prefix before AWSLogs/ (leave empty if none)');
  if (prefix === undefined) return undefined;
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Single account', detail: 's3://bucket/[prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/...', org: false },
      { label: 'Organisation trail', detail: 's3://bucket/[prefix/]AWSLogs/o-xxxxxxxxxx/ACCOUNT/CloudTrail/REGION/...', org: true },
    ],
    { title: step(3), ignoreFocusOut: true },
  );
  if (!kind) return undefined;
  let organizationId: string | undefined;
  if (kind.org) {
    organizationId = await ask(step(3), 'organizationId', 'o-', 'Your AWS Organizations id');
    if (!organizationId) return undefined;
  }
  const accounts = await askList(step(4), 'account', kind.org ? 'Account ids to include, separated by commas' : 'The account id');
  if (!accounts) return undefined;
  const regions = await vscode.window.showQuickPick(
    REGIONS.map((r) => ({ label: r, picked: r === 'us-east-1' })),
    { title: step(5), canPickMany: true, ignoreFocusOut: true, placeHolder: 'Regions your trail logs' },
  );
  if (!regions?.length) return undefined;
  const start = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
  const startDate = await ask(step(6), 'date', start, 'First day of logs to query (YYYY-MM-DD)');
  if (!startDate) return undefined;
  const form = await vscode.window.showQuickPick(
    [
      { label: 'Partition projection', description: 'recommended', detail: 'Athena computes the partitions: nothing to maintain as days pass', value: 'projection' as const },
      { label: 'Manual partitions', detail: 'ALTER TABLE ... ADD PARTITION for every account x region x month (the seed\'s way)', value: 'manual' as const },
    ],
    { title: step(7), ignoreFocusOut: true },
  );
  if (!form) return undefined;
  const table = await ask(step(8), 'table', defaultTable, 'Table name');
  if (!table) return undefined;
  return { table, bucket: bucket.trim(), prefix: prefix.trim() || undefined, organizationId, accounts, regions: regions.map((r) => r.label), startDate: startDate.trim(), form: form.value };
}

export function registerCreateCloudTrailTable(services: Services, engines: QueryEngines): void {
  services.registerCommand('secml.createCloudTrailTable', async (given?: CloudTrailTableOptions & { file?: string }) => {
    const options = given && typeof given === 'object' && 'bucket' in given ? given : await askTableOptions(engines.athenaTable());
    if (!options) return undefined;
    const ddl = cloudTrailTableDdl(options);
    const table = options.table ?? 'cloudtrail_logs';
    await engines.setAthenaTable(table);
    const root = services.workspaceRoot();
    if (!root && !given?.file) {
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: ddl.sql });
      await vscode.window.showTextDocument(doc);
      return undefined;
    }
    const file = given?.file ?? path.join(root!, 'queries', `${table}.sql`);
    if (!given && existsSync(file)) {
      const pick = await showWarning(`${path.basename(file)} exists. Replace it?`, { modal: true }, 'Replace');
      if (pick !== 'Replace') return undefined;
    }
    await writeFileAtomic(file, ddl.sql);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    services.logger.info(`Wrote the CloudTrail table DDL to ${file} (${options.form}${ddl.partitions ? `, ${ddl.partitions} partitions` : ''}).`);
    if (!given) void showInfo(`Wrote ${path.basename(file)}: run it on Athena with "Run on Athena" above CREATE EXTERNAL TABLE.`);
    return file;
  });
}
