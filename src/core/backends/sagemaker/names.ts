/**
 * Names and tags of the SageMaker resources SecML creates. A training job is `<experiment>-<variant>-<yyyymmdd-hhmmss>-<id>`,
 * cut to fit 63 characters; a deployment (model, endpoint config and endpoint share one name) adds a short unique suffix.
 * Tags link every resource back to its experiment, variant and run, so "delete all endpoints of this experiment" works
 * even after the extension forgot what it created.
 */
import { randomBytes } from 'node:crypto';
import type { Tag } from '@aws-sdk/client-sagemaker';
import { utcStamp } from '../../time-stamp';
import { checkResourceName, MAX_NAME_LENGTH, tagValue } from './validate';

export const TAG_EXPERIMENT = 'secml:experiment';
export const TAG_VARIANT = 'secml:variant';
export const TAG_RUN = 'secml:run';
/** `evaluation` (deleted by the run that made it) or `deployment` (kept until the user deletes it). */
export const TAG_PURPOSE = 'secml:purpose';

/** Lower-case letters, digits and single hyphens only. */
export function nameSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function fit(parts: string[], suffix: string): string {
  const room = MAX_NAME_LENGTH - suffix.length - 1;
  const slugs = parts.map(nameSlug).filter(Boolean);
  let head = slugs.join('-') || 'secml';
  if (head.length > room) {
    // Keep the end of the variant (what differs between runs) and the start of the experiment.
    const last = slugs.length > 1 ? slugs[slugs.length - 1].slice(0, Math.floor(room / 2)) : '';
    const first = slugs.slice(0, -1).join('-').slice(0, room - last.length - (last ? 1 : 0)) || slugs[0].slice(0, room);
    head = (last ? `${first}-${last}` : first).replace(/-+$/g, '');
  }
  return `${head}-${suffix}`.replace(/-{2,}/g, '-');
}

/** `<experiment>-<variant>-<yyyymmdd-hhmmss>-<4 hex>`: the suffix keeps two runs started in the same second apart. */
export function trainingJobName(experiment: string, variant: string, now = new Date(), unique = randomBytes(2).toString('hex')): string {
  return checkResourceName('training job', fit([experiment, variant], `${utcStamp(now)}-${unique}`));
}

/** One name for the model, endpoint config and endpoint of a deployment of `jobName`. */
export function deploymentName(jobName: string, unique = randomBytes(3).toString('hex')): string {
  const room = MAX_NAME_LENGTH - unique.length - 1;
  return checkResourceName('endpoint', `${jobName.slice(0, room).replace(/-+$/g, '')}-${unique}`);
}

export interface ResourceTags {
  experiment?: string;
  variant?: string;
  runId?: string;
  purpose?: 'evaluation' | 'deployment';
}

export function secmlTags(t: ResourceTags): Tag[] {
  const tags: Tag[] = [];
  if (t.experiment) tags.push({ Key: TAG_EXPERIMENT, Value: tagValue(t.experiment) });
  if (t.variant) tags.push({ Key: TAG_VARIANT, Value: tagValue(t.variant) });
  if (t.runId) tags.push({ Key: TAG_RUN, Value: tagValue(t.runId) });
  if (t.purpose) tags.push({ Key: TAG_PURPOSE, Value: t.purpose });
  return tags;
}

export function readSecmlTags(tags: Tag[] | undefined): ResourceTags {
  const get = (k: string) => tags?.find((t) => t.Key === k)?.Value;
  const purpose = get(TAG_PURPOSE);
  return {
    experiment: get(TAG_EXPERIMENT),
    variant: get(TAG_VARIANT),
    runId: get(TAG_RUN),
    purpose: purpose === 'evaluation' || purpose === 'deployment' ? purpose : undefined,
  };
}
