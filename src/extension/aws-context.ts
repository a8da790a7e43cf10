/**
 * The AWS connection the extension's views and commands use, built from the secml.aws.* settings (with the SDK's
 * AWS_PROFILE / AWS_REGION / AWS_ENDPOINT_URL as fallbacks). The session is rebuilt whenever the profile, region or
 * endpoint changes, so every view sees the new account after "Configure AWS". Secrets stay inside the SDK.
 */
import type * as vscode from 'vscode';
import type { AwsSession } from '../core/aws/connection';
import { connectionFromEnv, type AwsConnection } from '../core/aws/connection-settings';
import type { SageMakerSettings } from '../core/backends/sagemaker/settings';
import { awsCore } from './sagemaker/core';
import type { Services } from './services';

export class AwsContext implements vscode.Disposable {
  private cached: { key: string; session: AwsSession } | undefined;

  constructor(private readonly services: Services) {}

  connection(): AwsConnection {
    const a = this.services.settings().aws;
    return connectionFromEnv(process.env, { profile: a.profile, region: a.region, endpointUrl: a.endpointUrl });
  }

  /** True once the user chose SageMaker or configured anything AWS: until then no view calls AWS. */
  isConfigured(): boolean {
    const s = this.services.settings();
    const c = this.connection();
    return s.backend === 'sagemaker' || Boolean(c.profile || c.region || c.endpointUrl || s.aws.bucket);
  }

  session(): AwsSession {
    const c = this.connection();
    const key = JSON.stringify([c.profile, c.region, c.endpointUrl, c.maxAttempts]);
    if (this.cached?.key !== key) {
      this.cached?.session.destroy();
      this.cached = { key, session: new (awsCore().AwsSession)(c) };
    }
    return this.cached.session;
  }

  sageMakerSettings(): SageMakerSettings {
    const s = this.services.settings();
    return awsCore().sageMakerSettings({
      bucket: s.aws.bucket,
      prefix: s.aws.prefix,
      roleArn: s.sagemaker.roleArn,
      instanceType: s.sagemaker.instanceType,
      instanceCount: s.sagemaker.instanceCount,
      maxRuntimeSeconds: s.sagemaker.maxRuntimeSeconds,
      endpointInstanceType: s.sagemaker.endpointInstanceType,
      scoring: s.sagemaker.scoring,
      imageUri: s.sagemaker.xgboostImageUri,
      ipInsightsImageUri: s.sagemaker.ipInsightsImageUri,
    });
  }

  /** `profile dev, eu-west-1`: for tooltips and logs. */
  describe(): string {
    const c = this.connection();
    return [c.profile ? `profile ${c.profile}` : 'default credentials', c.region ?? 'default region', c.endpointUrl ? `endpoint ${c.endpointUrl}` : ''].filter(Boolean).join(', ');
  }

  dispose(): void {
    this.cached?.session.destroy();
    this.cached = undefined;
  }
}
