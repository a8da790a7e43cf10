/**
 * What an AWS connection is (profile, region, endpoint override) and how the SDK's standard environment variables fill
 * it in. Kept free of SDK imports so the extension can read settings without loading the AWS SDK.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface AwsConnection {
  /** Profile in ~/.aws/config / credentials (SSO, credential_process, assume-role all work); empty = default chain. */
  profile?: string;
  /** Region; empty = the SDK's own resolution (AWS_REGION, the profile's region). */
  region?: string;
  /** Endpoint override for every service (e.g. http://127.0.0.1:5000 for moto_server). */
  endpointUrl?: string;
  /** SDK attempts per call (retries with backoff on throttling). Tests use 1. */
  maxAttempts?: number;
  /** Explicit credentials (tests); production uses the profile's chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Why `value` is not an AWS region name (`us-east-1`, `ap-southeast-4`, `us-gov-west-1`), or undefined when it is one. */
export function regionNameProblem(value: string): string | undefined {
  return /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value) ? undefined : `"${value}" is not an AWS region name (e.g. us-east-1).`;
}

/** The connection named by the SDK's standard environment variables, with explicit values taking precedence. */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env, explicit: AwsConnection = {}): AwsConnection {
  const nonEmpty = (v?: string) => (v && v.trim() ? v.trim() : undefined);
  return {
    profile: nonEmpty(explicit.profile) ?? nonEmpty(env.AWS_PROFILE),
    region: nonEmpty(explicit.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    endpointUrl: nonEmpty(explicit.endpointUrl) ?? nonEmpty(env.AWS_ENDPOINT_URL),
    maxAttempts: explicit.maxAttempts ?? positiveInt(env.AWS_MAX_ATTEMPTS),
    credentials: explicit.credentials,
  };
}

function positiveInt(v?: string): number | undefined {
  const n = v ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
