/** Typed access to the `secml.*` settings (see package.json contributes.configuration). */
import * as vscode from 'vscode';

export interface SecmlSettings {
  backend: 'local' | 'sagemaker';
  aws: { profile: string; region: string; bucket: string; prefix: string; endpointUrl: string };
  sagemaker: { roleArn: string; instanceType: string; instanceCount: number; maxRuntimeSeconds: number; endpointInstanceType: string; scoring: 'endpoint' | 'batch-transform'; xgboostImageUri: string; ipInsightsImageUri: string };
  athena: { workgroup: string; outputLocation: string; database: string };
  query: { engine: 'auto' | 'duckdb' | 'athena'; cloudTrailPaths: string[] };
  experiments: { maxConcurrentJobs: number };
  flatten: { strict: boolean; sessionGapMinutes: number; threads: number | undefined };
}

export function readSettings(scope?: vscode.ConfigurationScope): SecmlSettings {
  const c = vscode.workspace.getConfiguration('secml', scope);
  const s = (k: string, d = '') => (c.get<string>(k) ?? d).trim();
  const n = (k: string, d: number) => c.get<number>(k) ?? d;
  return {
    backend: c.get<'local' | 'sagemaker'>('backend') ?? 'local',
    aws: { profile: s('aws.profile'), region: s('aws.region'), bucket: s('aws.bucket'), prefix: s('aws.prefix', 'secml'), endpointUrl: s('aws.endpointUrl') },
    sagemaker: {
      roleArn: s('sagemaker.roleArn'),
      instanceType: s('sagemaker.instanceType', 'ml.m5.xlarge'),
      instanceCount: n('sagemaker.instanceCount', 1),
      maxRuntimeSeconds: n('sagemaker.maxRuntimeSeconds', 3600),
      endpointInstanceType: s('sagemaker.endpointInstanceType', 'ml.m5.large'),
      scoring: c.get<'endpoint' | 'batch-transform'>('sagemaker.scoring') ?? 'endpoint',
      xgboostImageUri: s('sagemaker.xgboostImageUri'),
      ipInsightsImageUri: s('sagemaker.ipInsightsImageUri'),
    },
    athena: { workgroup: s('athena.workgroup', 'primary'), outputLocation: s('athena.outputLocation'), database: s('athena.database', 'default') },
    query: { engine: c.get<'auto' | 'duckdb' | 'athena'>('query.engine') ?? 'auto', cloudTrailPaths: c.get<string[]>('query.cloudTrailPaths') ?? [] },
    experiments: { maxConcurrentJobs: n('experiments.maxConcurrentJobs', 2) },
    flatten: { strict: c.get<boolean>('flatten.strict') ?? false, sessionGapMinutes: n('flatten.sessionGapMinutes', 30), threads: flattenThreads(c.get<string>('flatten.threads')) },
  };
}

/** Fires when any secml.* setting changes; AWS-related changes are reported separately so views can refresh. */
export function onSettingsChanged(listener: (e: { aws: boolean }) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('secml')) return;
    listener({ aws: e.affectsConfiguration('secml.aws') || e.affectsConfiguration('secml.backend') || e.affectsConfiguration('secml.sagemaker') });
  });
}

/** secml.flatten.threads: "1" or "2"; anything else ("auto") lets the flatten decide. */
export function flattenThreads(value: string | undefined): number | undefined {
  return value === '1' ? 1 : value === '2' ? 2 : undefined;
}
