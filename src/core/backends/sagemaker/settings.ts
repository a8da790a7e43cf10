/**
 * What the SageMaker backend needs to know besides the AWS connection: where data goes (bucket, prefix), which role
 * jobs assume, and the training / endpoint resources. Defaults match package.json's secml.sagemaker.* settings.
 */
import { checkBucketName, checkEndpointInstanceType, checkIntegerIn, checkKeyPrefix, checkRoleArn, checkTrainingInstanceType, checkTransformInstanceType } from './validate';

export type ScoringMode = 'endpoint' | 'batch-transform';

export interface SageMakerSettings {
  bucket: string;
  /** Key prefix inside the bucket (default `secml`). */
  prefix: string;
  roleArn: string;
  instanceType: string;
  /** Above 1 the train channel is split into parts and sharded by S3 key. */
  instanceCount: number;
  /** EBS volume per training instance; raised automatically to fit the data. */
  volumeSizeGB: number;
  maxRuntimeSeconds: number;
  endpointInstanceType: string;
  endpointInstanceCount: number;
  /** How `createScorer` scores: a real-time endpoint (default) or a batch transform job (large files). */
  scoring: ScoringMode;
  /** Parallel InvokeEndpoint calls per scorer. */
  invokeConcurrency: number;
  /**
   * XGBoost image for training and models (secml.sagemaker.xgboostImageUri, --xgboost-image, a spec's `imageUri`):
   * a private ECR mirror, another version, a region the built-in table lacks. Empty = the region's built-in 1.7-1 image.
   */
  imageUri?: string;
  /** IP Insights image (--ip-insights-image); empty = the region's built-in `ipinsights:1`. */
  ipInsightsImageUri?: string;
}

export const DEFAULT_SAGEMAKER_SETTINGS: SageMakerSettings = {
  bucket: '',
  prefix: 'secml',
  roleArn: '',
  instanceType: 'ml.m5.xlarge',
  instanceCount: 1,
  volumeSizeGB: 10,
  maxRuntimeSeconds: 3600,
  endpointInstanceType: 'ml.m5.large',
  endpointInstanceCount: 1,
  scoring: 'endpoint',
  invokeConcurrency: 4,
};

/** Fills in defaults for missing or empty values. */
export function sageMakerSettings(partial: Partial<SageMakerSettings> = {}): SageMakerSettings {
  const out: SageMakerSettings = { ...DEFAULT_SAGEMAKER_SETTINGS };
  for (const [k, v] of Object.entries(partial) as [keyof SageMakerSettings, unknown][]) {
    if (v === undefined || v === null || v === '') continue;
    (out as unknown as Record<string, unknown>)[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** Everything a training job needs, checked before anything is uploaded. */
export function checkTrainingSettings(s: SageMakerSettings): void {
  checkBucketName(s.bucket);
  checkKeyPrefix(s.prefix);
  checkRoleArn(s.roleArn);
  checkTrainingInstanceType(s.instanceType);
  checkIntegerIn('The training instance count (secml.sagemaker.instanceCount)', s.instanceCount, 1, 20);
  checkIntegerIn('The training volume size in GB', s.volumeSizeGB, 1, 16384);
  checkIntegerIn('The maximum training runtime in seconds (secml.sagemaker.maxRuntimeSeconds)', s.maxRuntimeSeconds, 60, 28 * 24 * 3600);
}

/** Everything a deployment (or batch transform) needs. */
export function checkScoringSettings(s: SageMakerSettings): void {
  checkRoleArn(s.roleArn);
  checkIntegerIn('The endpoint instance count', s.endpointInstanceCount, 1, 10);
  checkIntegerIn('The number of parallel endpoint calls', s.invokeConcurrency, 1, 64);
  if (s.scoring === 'batch-transform') {
    checkBucketName(s.bucket);
    checkTransformInstanceType(s.endpointInstanceType);
  } else {
    checkEndpointInstanceType(s.endpointInstanceType);
  }
}
