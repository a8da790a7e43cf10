/**
 * Image-URI overrides (a private ECR mirror, another version, a region the built-in tables lack), checked before
 * anything is uploaded. Kept apart from validate.ts (which re-exports it) because it needs no AWS SDK: the experiment
 * spec parser checks `sagemaker.imageUri` with it when a spec is loaded.
 */
import { SecmlError } from '../../errors';

/** The setting or option each image override comes from, for error messages. */
export const XGBOOST_IMAGE_SETTING = "secml.sagemaker.xgboostImageUri / --xgboost-image / the spec's sagemaker.imageUri";
export const IPINSIGHTS_IMAGE_SETTING = 'secml.sagemaker.ipInsightsImageUri / --ip-insights-image / SECML_IPINSIGHTS_IMAGE_URI';

// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:<tag>|@sha256:<digest>], as ECR names them.
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(amazonaws\.com(?:\.cn)?)$/;
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const ECR_EXAMPLE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

const EXPECTED = `expected <12-digit account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:<tag>|@sha256:<digest>], e.g. ${ECR_EXAMPLE}`;

/**
 * What is wrong with an image override, as a phrase (`is not in Amazon ECR (...)`), or undefined when it is usable.
 * SageMaker pulls training and inference images from Amazon ECR in the job's own region; other registries need a VPC
 * training configuration that SecML Lab does not create, so they are refused here rather than by a failed job.
 * `region`, when known, must be the image's.
 */
export function imageUriProblem(uri: string, region?: string): string | undefined {
  const u = uri.trim();
  if (!u) return 'is empty';
  if (u.length > 255) return `has ${u.length} characters; SageMaker allows at most 255`;
  if (/\s/.test(u)) return 'contains white space';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return 'has a URL scheme: give the image reference without https:// or docker://';
  const slash = u.indexOf('/');
  const host = slash < 0 ? u : u.slice(0, slash);
  const m = ECR_HOST.exec(host);
  if (slash < 0) return 'has no registry host';
  if (!m) {
    if (/\.dkr\.ecr/.test(host)) return `has a malformed ECR registry host "${host}"`;
    return `is not in Amazon ECR (registry "${host}"): SageMaker pulls training images from ECR in the job's region (SecML Lab creates jobs without the VPC setup other registries need)`;
  }
  const [, , imageRegion, domain] = m;
  if (imageRegion.startsWith('cn-') !== (domain === 'amazonaws.com.cn')) return `has region ${imageRegion} with the domain ${domain} (China regions use amazonaws.com.cn, others amazonaws.com)`;
  if (region && imageRegion !== region) return `is in region ${imageRegion}, but SageMaker runs in ${region}: it needs the image in ECR of the same region (copy it there, or choose region ${imageRegion})`;
  const rest = u.slice(slash + 1);
  const at = rest.indexOf('@');
  const colon = at < 0 ? rest.lastIndexOf(':') : -1;
  if (at >= 0 && rest.slice(0, at).includes(':')) return 'has both a tag and a digest: give one of them';
  const repository = at >= 0 ? rest.slice(0, at) : colon >= 0 ? rest.slice(0, colon) : rest;
  if (repository.length < 2 || repository.length > 256 || !ECR_REPOSITORY.test(repository)) return `has "${repository}" as its repository (2-256 lowercase letters, digits, and . _ - / between them)`;
  if (at >= 0 && !IMAGE_DIGEST.test(rest.slice(at + 1))) return `has a malformed digest "${rest.slice(at + 1)}" (sha256: and 64 lowercase hex digits)`;
  if (colon >= 0 && !IMAGE_TAG.test(rest.slice(colon + 1))) return `has a malformed tag "${rest.slice(colon + 1)}" (up to 128 letters, digits, _ . -, not starting with . or -)`;
  return undefined;
}

/** The trimmed override, or a BAD_ARGUMENT naming `setting`, what is wrong and the form expected. */
export function checkImageUri(uri: string, setting: string, region?: string): string {
  const u = uri.trim();
  const problem = imageUriProblem(u, region);
  if (problem) throw new SecmlError('BAD_ARGUMENT', `The image URI ${u.length > 255 ? '' : `"${u}" `}(${setting}) ${problem}; ${EXPECTED}.`);
  return u;
}

/** The same problem phrased for a spec or settings check that names the key itself: `"<uri>" is not in ...; expected ...`. */
export function imageUriMessage(uri: string, problem: string): string {
  return `"${uri.trim().slice(0, 300)}" ${problem}; ${EXPECTED}.`;
}
