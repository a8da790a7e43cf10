/**
 * "SecML: Configure AWS": pick a profile (from ~/.aws/config and credentials), a region, check who you are (STS
 * GetCallerIdentity), then a bucket and the SageMaker role. Writes only non-secret settings (secml.aws.*,
 * secml.sagemaker.roleArn); changing them refreshes every AWS view.
 */
import * as vscode from 'vscode';
import type { AwsSession } from '../../core/aws/connection';
import { connectionFromEnv, regionNameProblem } from '../../core/aws/connection-settings';
import type { CallerIdentity } from '../../core/aws/identity';
import type { AwsProfile } from '../../core/aws/profiles';
import { userMessage } from '../../core/errors';
import { awsCore } from '../sagemaker/core';
import type { Services } from '../services';
import { showInfo, showWarning } from '../notify';

const KIND_LABEL: Record<AwsProfile['kind'], string> = {
  sso: 'IAM Identity Center (SSO)',
  'credential-process': 'credential_process',
  'assume-role': 'assume role',
  'access-keys': 'access keys',
  other: '',
};

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

function validOr(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    return userMessage(e);
  }
}

async function pickProfile(current: string): Promise<{ profile: string; region?: string } | undefined> {
  const profiles = await awsCore().listAwsProfiles();
  const items: Pick<AwsProfile | undefined>[] = [
    { label: '$(key) Default credential chain', description: 'environment variables, default profile, instance role', value: undefined, picked: !current },
    ...profiles.map((p) => ({ label: p.name, description: [KIND_LABEL[p.kind], p.region].filter(Boolean).join(' · '), value: p, picked: p.name === current })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Configure AWS (1/4): profile', placeHolder: profiles.length ? 'Pick the AWS profile SecML Lab uses' : 'No profiles in ~/.aws/config: the default credential chain is used' });
  if (!pick) return undefined;
  return { profile: pick.value?.name ?? '', region: pick.value?.region };
}

async function pickRegion(current: string, profileRegion: string | undefined): Promise<string | undefined> {
  const preferred = current || profileRegion || process.env.AWS_REGION || 'us-east-1';
  const regions = [preferred, ...awsCore().xgboostRegions().filter((r) => r !== preferred)];
  const typeIt = '$(edit) Enter a region...';
  const pick = await vscode.window.showQuickPick(
    [
      ...regions.map((r) => ({ label: r, description: r === profileRegion ? "profile's region" : r === current ? 'current' : undefined })),
      { label: typeIt, description: 'a region not listed (set an image override for SageMaker there)' },
    ],
    { title: 'Configure AWS (2/4): region', placeHolder: 'Region for SageMaker, S3 and Athena' },
  );
  if (pick?.label !== typeIt) return pick?.label;
  const typed = await vscode.window.showInputBox({ title: 'Configure AWS (2/4): region', prompt: 'AWS region name', placeHolder: 'e.g. mx-central-1', validateInput: (v) => regionNameProblem(v.trim()) });
  return typed?.trim() || undefined;
}

async function pickBucket(session: AwsSession, current: string): Promise<string | undefined> {
  const names = await awsCore().listBucketNames(session); // empty without ListBuckets permission: type it instead
  const typeIt = '$(edit) Enter a bucket name...';
  const items = [...(current && !names.includes(current) ? [current] : []), ...names].map((n) => ({ label: n, description: n === current ? 'current' : undefined }));
  const pick = items.length ? await vscode.window.showQuickPick([...items, { label: typeIt }], { title: 'Configure AWS (3/4): S3 bucket for training data and models' }) : { label: typeIt };
  if (!pick) return undefined;
  if (pick.label !== typeIt) return pick.label;
  return vscode.window.showInputBox({ title: 'Configure AWS (3/4): S3 bucket', value: current, prompt: 'Training data, model artifacts and Athena results go here.', validateInput: (v) => validOr(() => awsCore().checkBucketName(v)) });
}

async function askRole(current: string, who: CallerIdentity | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Configure AWS (4/4): SageMaker execution role',
    value: current || (who ? awsCore().roleArnPrefix(who) : ''),
    prompt: 'The IAM role SageMaker training jobs and models assume (needs S3 access to the bucket). Leave empty to set it later.',
    validateInput: (v) => (v.trim() ? validOr(() => awsCore().checkRoleArn(v)) : undefined),
  });
}

export function registerConfigureAws(services: Services): void {
  services.registerCommand('secml.configureAws', async () => {
    const s = services.settings();
    const profile = await pickProfile(s.aws.profile);
    if (!profile) return;
    const region = await pickRegion(s.aws.region, profile.region);
    if (!region) return;
    const session: AwsSession = new (awsCore().AwsSession)(connectionFromEnv(process.env, { profile: profile.profile, region, endpointUrl: s.aws.endpointUrl }));
    try {
      let who: CallerIdentity | undefined;
      try {
        who = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking AWS identity...' }, () => awsCore().whoAmI(session));
        services.logger.info(`AWS identity: ${who.arn} (account ${who.account}) via ${session.describe()}`);
      } catch (e) {
        services.logger.error(userMessage(e));
        const go = await showWarning(`Could not confirm who you are with this profile: ${userMessage(e)}`, 'Continue Anyway', 'Cancel');
        if (go !== 'Continue Anyway') return;
      }
      const bucket = await pickBucket(session, s.aws.bucket);
      if (bucket === undefined) return;
      const role = await askRole(s.sagemaker.roleArn, who);
      if (role === undefined) return;
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      const config = vscode.workspace.getConfiguration('secml');
      await config.update('aws.profile', profile.profile, target);
      await config.update('aws.region', region, target);
      await config.update('aws.bucket', bucket.trim(), target);
      await config.update('sagemaker.roleArn', role.trim(), target);
      services.awsChanged.fire();
      const identity = who ? `${who.arn} (account ${who.account})` : 'identity not confirmed';
      void showInfo(`SecML Lab uses ${profile.profile ? `profile ${profile.profile}` : 'the default credentials'} in ${region}: ${identity}.`);
    } finally {
      session.destroy();
    }
  });
}
