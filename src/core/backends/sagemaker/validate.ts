/**
 * Checks SageMaker inputs in our own code, before any call: moto accepts anything, AWS rejects late and tersely.
 * Every failure is a BAD_ARGUMENT naming the setting or option to fix.
 */
import { ProductionVariantInstanceType, TrainingInstanceType, TransformInstanceType } from '@aws-sdk/client-sagemaker';
import { SecmlError } from '../../errors';

export { checkImageUri, IPINSIGHTS_IMAGE_SETTING, XGBOOST_IMAGE_SETTING } from './image-uri';

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
export const MAX_NAME_LENGTH = 63;

/** Training job, model, endpoint config, endpoint and transform job names share one rule. */
export function checkResourceName(kind: string, name: string): string {
  if (!name) throw new SecmlError('BAD_ARGUMENT', `The ${kind} name is empty.`);
  if (name.length > MAX_NAME_LENGTH) throw new SecmlError('BAD_ARGUMENT', `The ${kind} name "${name}" has ${name.length} characters; SageMaker allows at most ${MAX_NAME_LENGTH}.`);
  if (!NAME.test(name)) {
    throw new SecmlError('BAD_ARGUMENT', `The ${kind} name "${name}" may only contain letters, digits and hyphens, and must start and end with a letter or digit.`);
  }
  return name;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function checkRoleArn(arn: string, setting = 'secml.sagemaker.roleArn / --role-arn'): string {
  const a = arn.trim();
  if (!a) throw new SecmlError('BAD_ARGUMENT', `No SageMaker execution role is set (${setting}). Use "SecML: Configure AWS" or pass the role ARN, e.g. arn:aws:iam::123456789012:role/SageMakerRole.`);
  if (a.length < 20 || a.length > 2048 || !ROLE_ARN.test(a)) {
    throw new SecmlError('BAD_ARGUMENT', `"${a}" is not an IAM role ARN (${setting}); expected arn:aws:iam::<12-digit account>:role/<name>.`);
  }
  return a;
}

function checkInstanceType(kind: string, valid: Record<string, string>, type: string, setting: string): string {
  const t = type.trim();
  if (Object.values(valid).includes(t)) return t;
  const hint = /^ml\./.test(t) ? '' : ' (SageMaker instance types start with "ml.", e.g. ml.m5.xlarge)';
  throw new SecmlError('BAD_ARGUMENT', `"${t}" is not a SageMaker ${kind} instance type${hint} (${setting}).`);
}

export function checkTrainingInstanceType(type: string, setting = 'secml.sagemaker.instanceType / --instance-type'): string {
  return checkInstanceType('training', TrainingInstanceType, type, setting);
}

export function checkEndpointInstanceType(type: string, setting = 'secml.sagemaker.endpointInstanceType'): string {
  return checkInstanceType('endpoint', ProductionVariantInstanceType, type, setting);
}

export function checkTransformInstanceType(type: string, setting = 'batch transform instance type'): string {
  return checkInstanceType('batch transform', TransformInstanceType, type, setting);
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(bucket: string, setting = 'secml.aws.bucket / --bucket'): string {
  const b = bucket.trim();
  if (!b) throw new SecmlError('BAD_ARGUMENT', `No S3 bucket is set (${setting}). Use "SecML: Configure AWS" or pass --bucket.`);
  if (!BUCKET.test(b) || b.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(b) || b.startsWith('xn--')) {
    throw new SecmlError('BAD_ARGUMENT', `"${b}" is not a valid S3 bucket name (${setting}): 3-63 lowercase letters, digits, dots or hyphens.`);
  }
  return b;
}

/** A key prefix without leading/trailing slashes; empty is allowed. */
export function checkKeyPrefix(prefix: string, setting = 'secml.aws.prefix / --prefix'): string {
  const p = prefix.trim().replace(/^\/+|\/+$/g, '');
  if (p === '') return p;
  if (p.length > 512 || /[\\{}^%`\]"<>[~#|\x00-\x1f\x7f]/.test(p) || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new SecmlError('BAD_ARGUMENT', `"${prefix}" is not a usable S3 key prefix (${setting}): use letters, digits, - _ . and / between parts.`);
  }
  return p;
}

export interface S3Location {
  bucket: string;
  key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri.trim());
  if (!m) throw new SecmlError('BAD_ARGUMENT', `"${uri}" is not an S3 URI (expected s3://bucket/key).`);
  const bucket = checkBucketName(m[1], uri);
  const key = m[2] ?? '';
  if (Buffer.byteLength(key) > 1024) throw new SecmlError('BAD_ARGUMENT', `The S3 key of "${uri}" is longer than 1024 bytes.`);
  return { bucket, key };
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function checkIntegerIn(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new SecmlError('BAD_ARGUMENT', `${what} must be a whole number from ${min} to ${max}, got ${value}.`);
  return value;
}

/** SageMaker: at most 100 hyperparameters, keys <= 256 and values <= 2500 characters, all strings. */
export function checkHyperparameters(hp: Record<string, string>): Record<string, string> {
  const entries = Object.entries(hp);
  if (entries.length > 100) throw new SecmlError('BAD_ARGUMENT', `SageMaker accepts at most 100 hyperparameters, got ${entries.length}.`);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new SecmlError('BAD_ARGUMENT', `Hyperparameter ${k} must be a string for SageMaker, got ${typeof v}.`);
    if (!k || k.length > 256 || /\s/.test(k)) throw new SecmlError('BAD_ARGUMENT', `"${k}" is not a valid hyperparameter name.`);
    if (v.length > 2500) throw new SecmlError('BAD_ARGUMENT', `The value of hyperparameter ${k} is longer than 2500 characters.`);
  }
  return hp;
}

const TAG_VALUE_BAD = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** Makes any text a valid tag value (allowed characters, <= 256). */
export function tagValue(text: string): string {
  return text.replace(TAG_VALUE_BAD, '_').slice(0, 256);
}
