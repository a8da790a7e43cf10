/**
 * Everything the extension's AWS features use from core, in one module that is loaded on first use (see core.ts): the
 * AWS SDK adds ~0.4 s to activation, which local-only users never need to pay.
 */
export * from '../../core/backends/sagemaker/index';
export { AwsSession, connectionFromEnv } from '../../core/aws/connection';
export { whoAmI, roleArnPrefix } from '../../core/aws/identity';
export { listAwsProfiles } from '../../core/aws/profiles';
export { listBucketNames } from '../../core/aws/buckets';
export { checkBucketName, checkRoleArn } from '../../core/backends/sagemaker/validate';
export { xgboostRegions } from '../../core/backends/sagemaker/images';
export { completedJobResult } from '../../core/backends/sagemaker/training-jobs';
export { describeScoringEndpoint, endpointScoringModel } from '../../core/scoring/endpoint-model';
