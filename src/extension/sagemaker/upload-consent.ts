/**
 * Nothing leaves the machine without consent: before the first upload to a bucket, show what would be sent (files,
 * sizes, destination) and ask once per workspace and bucket. The answer is kept in workspaceState; runs started together
 * wait for the one question instead of each asking.
 */
import type { PlannedUpload } from '../../core/backends/sagemaker/upload';
import { awsCore } from './core';
import type { Services } from '../services';
import { showWarning } from '../notify';

const KEY = 'secml.uploadConsent';

/** The `confirmUpload` hook for SageMakerBackend in the extension. */
export function uploadConsent(services: Services): (plan: PlannedUpload[]) => Promise<boolean> {
  let asking: Promise<unknown> = Promise.resolve();
  const ask = async (plan: PlannedUpload[]): Promise<boolean> => {
    const buckets = [...new Set(plan.map((u) => u.bucket))];
    const agreed = services.context.workspaceState.get<string[]>(KEY, []);
    if (buckets.every((b) => agreed.includes(b))) return true;
    const { lines, total } = awsCore().describePlannedUploads(plan);
    services.logger.info(`Upload requested (waiting for consent):\n  ${lines.join('\n  ')}`);
    const detail = [
      `${total} will be uploaded to ${buckets.map((b) => `s3://${b}`).join(', ')} for SageMaker training:`,
      ...lines.slice(0, 8),
      ...(lines.length > 8 ? [`... and ${lines.length - 8} more (see the SecML Lab log)`] : []),
      '',
      'They hold the flattened sessions of your logs (event counts per session, labels). You will not be asked again for this bucket in this workspace.',
    ].join('\n');
    const pick = await showWarning('Upload training data to S3?', { modal: true, detail }, 'Upload');
    if (pick !== 'Upload') {
      services.logger.info('Upload declined: nothing was sent.');
      return false;
    }
    await services.context.workspaceState.update(KEY, [...new Set([...agreed, ...buckets])]);
    return true;
  };
  return (plan) => {
    if (!plan.length) return Promise.resolve(true);
    const answer = asking.then(() => ask(plan));
    asking = answer.catch(() => undefined);
    return answer;
  };
}
