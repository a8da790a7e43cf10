/**
 * The sample account's principals and the `userIdentity` shapes CloudTrail writes for each kind: IAM users
 * (access key or console session), assumed roles (EC2 instance profile, Lambda, IAM Identity Center), root.
 * Addresses come from the documentation ranges (RFC 5737) and private ranges: none points at a real host.
 */
import type { Random } from '../prng';
import { accessKeyId, uniqueId } from './trail-recorder';

export const ACCOUNT = '482910375615';

export interface IamUser {
  name: string;
  principalId: string;
  arn: string;
}

export interface Role {
  name: string;
  principalId: string;
  arn: string;
}

export function makeUser(rng: Random, name: string): IamUser {
  return { name, principalId: uniqueId(rng, 'AIDA'), arn: `arn:aws:iam::${ACCOUNT}:user/${name}` };
}

export function makeRole(rng: Random, name: string, path = '/'): Role {
  return { name, principalId: uniqueId(rng, 'AROA'), arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}` };
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** An IAM user calling with a long-term access key. */
export function userKeyIdentity(user: IamUser, keyId: string): Record<string, unknown> {
  return { type: 'IAMUser', principalId: user.principalId, arn: user.arn, accountId: ACCOUNT, accessKeyId: keyId, userName: user.name };
}

/** An IAM user calling from a console session that started at `since`. */
export function userConsoleIdentity(rng: Random, user: IamUser, since: number, mfa: boolean): Record<string, unknown> {
  return {
    ...userKeyIdentity(user, accessKeyId(rng, true)),
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(since), mfaAuthenticated: String(mfa) } },
  };
}

/** A session of an assumed role (instance profile, Lambda, Identity Center permission set). */
export function roleSessionIdentity(rng: Random, role: Role, sessionName: string, since: number, mfa = false): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `${role.principalId}:${sessionName}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${sessionName}`,
    accountId: ACCOUNT,
    accessKeyId: accessKeyId(rng, true),
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: role.principalId, arn: role.arn, accountId: ACCOUNT, userName: role.name },
      webIdFederationData: {},
      attributes: { creationDate: iso(since), mfaAuthenticated: String(mfa) },
    },
  };
}

/** The root user, signed in to the console. */
export function rootIdentity(rng: Random, since?: number): Record<string, unknown> {
  const id: Record<string, unknown> = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
  if (since === undefined) return id;
  return {
    ...id,
    accessKeyId: accessKeyId(rng, true),
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(since), mfaAuthenticated: 'true' } },
  };
}

export const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const WINDOWS_BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

export const cliUserAgent = (os: string, command: string, exe = 'x86_64') => `aws-cli/2.15.30 Python/3.11.8 ${os} exe/${exe} prompt/off command/${command}`;

export const IPS = {
  office: '198.51.100.23',
  vpn: '198.51.100.77',
  admin: '198.51.100.41',
  ci: '192.0.2.15',
  attacker: '203.0.113.66',
} as const;

export const BUCKETS = {
  exports: 'acme-customer-exports',
  lake: 'acme-analytics-lake',
  artifacts: 'acme-deploy-artifacts',
  finance: 'acme-finance-private',
} as const;

export const TRAIL_NAME = 'acme-management-trail';
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL_NAME}`;
