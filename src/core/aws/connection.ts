/**
 * How SecML Lab reaches AWS: a profile, a region and an optional endpoint override (moto_server in tests, VPC endpoints
 * in the field). One AwsSession per connection builds every SDK v3 client with the same credentials chain, caches them,
 * and re-resolves credentials once when they expire. Secrets never leave the SDK: nothing here logs or stores them.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SecmlError } from '../errors';
import { isExpiredCredentials, toSecmlError } from './errors';
import type { AwsConnection } from './connection-settings';
import { awsConfigFiles, listAwsProfiles } from './profiles';

export { connectionFromEnv, type AwsConnection } from './connection-settings';

/** Validates an endpoint override before any client uses it. */
export function checkEndpointUrl(url: string | undefined): void {
  if (!url) return;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SecmlError('BAD_ARGUMENT', `The AWS endpoint URL "${url}" is not a valid URL (expected e.g. http://127.0.0.1:5000).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SecmlError('BAD_ARGUMENT', `The AWS endpoint URL "${url}" must start with http:// or https://.`);
}

type ClientCtor<C> = new (config: any) => C;

/** Builds and caches SDK clients for one connection; `call` retries once with fresh credentials when they expired. */
export class AwsSession {
  private provider: AwsCredentialIdentityProvider | undefined;
  private clients = new Map<ClientCtor<unknown>, unknown>();

  constructor(readonly connection: AwsConnection) {
    checkEndpointUrl(connection.endpointUrl);
  }

  /** A short, secret-free description for logs and status bars: `profile dev, us-east-1 (endpoint http://...)`. */
  describe(): string {
    const parts = [this.connection.profile ? `profile ${this.connection.profile}` : 'default credentials', this.connection.region ?? 'default region'];
    if (this.connection.endpointUrl) parts.push(`endpoint ${this.connection.endpointUrl}`);
    return parts.join(', ');
  }

  private credentials(): AwsCredentialIdentity | AwsCredentialIdentityProvider {
    if (this.connection.credentials) return this.connection.credentials;
    this.provider ??= fromNodeProviderChain({ profile: this.connection.profile || undefined });
    return this.provider;
  }

  /** The config every client gets. `forcePathStyle` is set when an endpoint override is used (moto, MinIO-style endpoints). */
  clientConfig(): Record<string, unknown> {
    const c = this.connection;
    const config: Record<string, unknown> = { credentials: this.credentials(), maxAttempts: c.maxAttempts ?? 4, retryMode: 'standard' };
    if (c.region) config.region = c.region;
    if (c.endpointUrl) {
      config.endpoint = c.endpointUrl;
      config.forcePathStyle = true;
    }
    return config;
  }

  /** A cached client of the given SDK class, e.g. `session.client(S3Client)`. */
  client<C>(ctor: ClientCtor<C>): C {
    let c = this.clients.get(ctor) as C | undefined;
    if (!c) {
      c = new ctor(this.clientConfig());
      this.clients.set(ctor, c);
    }
    return c;
  }

  /** The region calls go to: the configured one, else what the SDK resolves (AWS_REGION, the profile's region). */
  async region(): Promise<string> {
    if (this.connection.region) return this.connection.region;
    const { STSClient } = await import('@aws-sdk/client-sts');
    try {
      const r = await this.client(STSClient).config.region();
      if (r) return r;
    } catch {
      /* reported below */
    }
    throw new SecmlError('BAD_ARGUMENT', 'No AWS region is set. Choose one with "SecML: Configure AWS" (setting secml.aws.region) or set AWS_REGION.');
  }

  /** Drops cached credentials and clients so the next call re-resolves the credential chain (SSO refresh, credential_process). */
  resetCredentials(): void {
    for (const c of this.clients.values()) (c as { destroy?: () => void }).destroy?.();
    this.clients.clear();
    this.provider = undefined;
  }

  /**
   * Runs one AWS action. When credentials have expired, re-resolves them and retries once; every failure becomes a
   * SecmlError whose message names the action and keeps the service's own message.
   */
  async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      // Static credentials cannot be refreshed; the chain and provider functions can.
      if (!isExpiredCredentials(e) || typeof this.connection.credentials === 'object') throw await this.explain(toSecmlError(e, action), action);
      this.resetCredentials();
      try {
        return await fn();
      } catch (e2) {
        throw await this.explain(toSecmlError(e2, action), action);
      }
    }
  }

  /** "No credentials" because the named profile does not exist says so (the SDK only says no provider worked). */
  private async explain(err: SecmlError, action: string): Promise<SecmlError> {
    const profile = this.connection.profile || (this.connection.credentials ? undefined : process.env.AWS_PROFILE);
    if (err.code !== 'AWS_AUTH' || !profile || !/no AWS credentials were found/.test(err.message)) return err;
    const known = await listAwsProfiles().catch(() => undefined);
    if (!known || known.some((p) => p.name === profile)) return err;
    const files = awsConfigFiles();
    const others = known.length ? ` Profiles there: ${known.slice(0, 8).map((p) => p.name).join(', ')}${known.length > 8 ? ', ...' : ''}.` : '';
    return new SecmlError('AWS_AUTH', `${action}: the AWS profile "${profile}" is not in ${files.config} or ${files.credentials}.${others} Pick one with "SecML: Configure AWS" (CLI: --profile or AWS_PROFILE).`, { cause: err, details: err.details });
  }

  destroy(): void {
    for (const c of this.clients.values()) (c as { destroy?: () => void }).destroy?.();
    this.clients.clear();
  }
}
