/**
 * The CreateTrainingJob request for one run on SageMaker's built-in XGBoost: hyperparameters as strings, `train` and
 * `validation` channels in text/csv (label first, no header), output path, resources, runtime limit and SecML tags.
 * Everything is validated here, since moto accepts any input and AWS rejects it late.
 */
import type { CreateTrainingJobRequest, Tag } from '@aws-sdk/client-sagemaker';
import { SecmlError } from '../../errors';
import { parseHyperparameters, toSageMakerHyperparameters } from '../../model/hyperparameters';
import {
  checkHyperparameters,
  checkIntegerIn,
  checkResourceName,
  checkRoleArn,
  checkTrainingInstanceType,
  parseS3Uri,
} from './validate';

export interface TrainingJobSpec {
  jobName: string;
  imageUri: string;
  roleArn: string;
  hyperparameters: Record<string, string>;
  /** S3 prefix holding the train CSV part(s), ending in `/`. */
  trainS3Uri: string;
  validationS3Uri?: string;
  outputS3Uri: string;
  instanceType: string;
  instanceCount: number;
  volumeSizeGB: number;
  maxRuntimeSeconds: number;
  tags: Tag[];
}

/**
 * The run's hyperparameters as SageMaker's XGBoost takes them: validated by the same rules as the local trainer (so
 * both backends train the same model), over the seed's defaults, every value a string, eval_metric auc by default
 * (it feeds FinalMetricDataList).
 */
export function sageMakerXgboostHyperparameters(hp: Readonly<Record<string, string | number>>): Record<string, string> {
  return checkHyperparameters(toSageMakerHyperparameters(parseHyperparameters(hp)));
}

function csvChannel(name: string, s3Uri: string, sharded: boolean) {
  parseS3Uri(s3Uri);
  return {
    ChannelName: name,
    ContentType: 'text/csv',
    CompressionType: 'None' as const,
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: s3Uri,
        S3DataDistributionType: sharded ? ('ShardedByS3Key' as const) : ('FullyReplicated' as const),
      },
    },
  };
}

export function buildTrainingJobRequest(spec: TrainingJobSpec): CreateTrainingJobRequest {
  checkResourceName('training job', spec.jobName);
  if (!spec.imageUri.trim()) throw new SecmlError('BAD_ARGUMENT', 'No training image URI.');
  if (spec.tags.length > 50) throw new SecmlError('BAD_ARGUMENT', `SageMaker allows 50 tags, got ${spec.tags.length}.`);
  const count = checkIntegerIn('The training instance count', spec.instanceCount, 1, 20);
  const channels = [csvChannel('train', spec.trainS3Uri, count > 1)];
  if (spec.validationS3Uri) channels.push(csvChannel('validation', spec.validationS3Uri, false));
  parseS3Uri(spec.outputS3Uri);
  return {
    TrainingJobName: spec.jobName,
    AlgorithmSpecification: { TrainingImage: spec.imageUri, TrainingInputMode: 'File' },
    RoleArn: checkRoleArn(spec.roleArn),
    HyperParameters: checkHyperparameters(spec.hyperparameters),
    InputDataConfig: channels,
    OutputDataConfig: { S3OutputPath: spec.outputS3Uri },
    ResourceConfig: {
      InstanceType: checkTrainingInstanceType(spec.instanceType) as NonNullable<CreateTrainingJobRequest['ResourceConfig']>['InstanceType'],
      InstanceCount: count,
      VolumeSizeInGB: checkIntegerIn('The training volume size in GB', spec.volumeSizeGB, 1, 16384),
    },
    StoppingCondition: { MaxRuntimeInSeconds: checkIntegerIn('The maximum training runtime in seconds', spec.maxRuntimeSeconds, 1, 28 * 24 * 3600) },
    Tags: spec.tags,
  };
}

/** A volume that holds the data twice over (download + working copy), at least `configuredGB`. */
export function volumeSizeFor(dataBytes: number, configuredGB: number): number {
  const needed = Math.ceil((dataBytes * 2) / 1024 ** 3) + 1;
  return Math.min(16384, Math.max(configuredGB, needed));
}
