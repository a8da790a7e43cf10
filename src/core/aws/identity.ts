/** Who the current credentials belong to (STS GetCallerIdentity): shown by "Configure AWS" and in logs. No secrets. */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsSession } from './connection';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export async function whoAmI(session: AwsSession, signal?: AbortSignal): Promise<CallerIdentity> {
  const r = await session.call('Check AWS identity (STS GetCallerIdentity)', () => session.client(STSClient).send(new GetCallerIdentityCommand({}), { abortSignal: signal }));
  return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
}

/** `arn:aws:iam::123456789012:role/` for the caller's account and partition, to prefill a role ARN. */
export function roleArnPrefix(identity: CallerIdentity): string {
  const partition = /^arn:([^:]+):/.exec(identity.arn)?.[1] ?? 'aws';
  return `arn:${partition}:iam::${identity.account}:role/`;
}
