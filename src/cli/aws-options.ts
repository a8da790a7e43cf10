/**
 * Options shared by the AWS commands (`jobs`, `endpoints`, `experiment run --backend sagemaker`, `query --engine athena`):
 * the connection (flags first, then the SDK's AWS_PROFILE / AWS_REGION / AWS_ENDPOINT_URL / AWS_MAX_ATTEMPTS) and the
 * SageMaker settings (flags, then the given defaults, e.g. a spec's, then SECML_S3_BUCKET / SECML_SAGEMAKER_ROLE_ARN /
 * SECML_XGBOOST_IMAGE_URI / SECML_IPINSIGHTS_IMAGE_URI).
 */
import { AwsSession, connectionFromEnv } from '../core/aws/connection';
import { sageMakerSettings, type SageMakerSettings, type ScoringMode } from '../core/backends/sagemaker/settings';
import type { OptionSpec, ParsedArgs } from './command';
import { num, str, usageError } from './args';

function scoringMode(text: string | undefined): ScoringMode | undefined {
  if (text === undefined || text === 'endpoint' || text === 'batch-transform') return text;
  throw usageError(`--scoring expects endpoint or batch-transform, got "${text}"`);
}

export const AWS_OPTIONS: OptionSpec[] = [
  { name: 'profile', type: 'string', valueName: 'NAME', description: 'AWS profile (default: AWS_PROFILE, then the default credential chain).' },
  { name: 'region', type: 'string', valueName: 'REGION', description: 'AWS region (default: AWS_REGION, then the profile\'s region).' },
  { name: 'endpoint-url', type: 'string', valueName: 'URL', description: 'Endpoint override for every AWS service, e.g. a local moto_server (default: AWS_ENDPOINT_URL).' },
];

export const SAGEMAKER_OPTIONS: OptionSpec[] = [
  { name: 'bucket', type: 'string', valueName: 'NAME', description: 'S3 bucket for training data and models (default: SECML_S3_BUCKET).' },
  { name: 'prefix', type: 'string', valueName: 'PREFIX', description: 'Key prefix inside the bucket (default: secml).' },
  { name: 'role-arn', type: 'string', valueName: 'ARN', description: 'IAM role SageMaker assumes (default: SECML_SAGEMAKER_ROLE_ARN).' },
  { name: 'instance-type', type: 'string', valueName: 'TYPE', description: 'Training instance type (default: ml.m5.xlarge).' },
  { name: 'instance-count', type: 'number', valueName: 'N', description: 'Training instances; above 1 the data is sharded by S3 key (default: 1).' },
  { name: 'endpoint-instance-type', type: 'string', valueName: 'TYPE', description: 'Instance type of evaluation endpoints (default: ml.m5.large).' },
  { name: 'scoring', type: 'string', valueName: 'MODE', description: 'How SageMaker models score: endpoint (real-time, default) or batch-transform (large files, no endpoint).' },
  { name: 'xgboost-image', type: 'string', valueName: 'URI', description: "XGBoost image in ECR of the job's region, e.g. a private mirror (default: the spec's sagemaker.imageUri, SECML_XGBOOST_IMAGE_URI, else the region's built-in 1.7-1)." },
  { name: 'ip-insights-image', type: 'string', valueName: 'URI', description: "IP Insights image in ECR of the job's region (default: SECML_IPINSIGHTS_IMAGE_URI, else the region's built-in ipinsights:1)." },
];

/** SAGEMAKER_OPTIONS without the ones a command has no use for. */
export function sageMakerOptionsExcept(...names: string[]): OptionSpec[] {
  return SAGEMAKER_OPTIONS.filter((o) => !names.includes(o.name));
}

export function awsSessionFromArgs(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): AwsSession {
  return new AwsSession(connectionFromEnv(env, { profile: str(args, 'profile'), region: str(args, 'region'), endpointUrl: str(args, 'endpoint-url') }));
}

export function sageMakerSettingsFromArgs(args: ParsedArgs, defaults: Partial<SageMakerSettings> = {}, env: NodeJS.ProcessEnv = process.env): SageMakerSettings {
  return sageMakerSettings({
    ...defaults,
    bucket: str(args, 'bucket') ?? (defaults.bucket || env.SECML_S3_BUCKET),
    prefix: str(args, 'prefix') ?? defaults.prefix,
    roleArn: str(args, 'role-arn') ?? (defaults.roleArn || env.SECML_SAGEMAKER_ROLE_ARN),
    instanceType: str(args, 'instance-type') ?? defaults.instanceType,
    instanceCount: num(args, 'instance-count') ?? defaults.instanceCount,
    endpointInstanceType: str(args, 'endpoint-instance-type') ?? defaults.endpointInstanceType,
    scoring: scoringMode(str(args, 'scoring')) ?? defaults.scoring,
    imageUri: str(args, 'xgboost-image') ?? (defaults.imageUri || env.SECML_XGBOOST_IMAGE_URI),
    ipInsightsImageUri: str(args, 'ip-insights-image') ?? (defaults.ipInsightsImageUri || env.SECML_IPINSIGHTS_IMAGE_URI),
  });
}
