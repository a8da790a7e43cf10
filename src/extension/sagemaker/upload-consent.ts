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

/** What is uploaded, for the question; and the workspace-state key that remembers the buckets agreed to. */
export interface UploadKind {
  what: string;
  key: string;
}

/** Flattened sessions, for SageMaker training (experiments). */
export const TRAINING_DATA: UploadKind = { what: 'They hold the flattened sessions of your logs (event counts per session, labels).', key: KEY };
/** Principal/IP tuples of CloudTrail, for IP Insights. */
export const PRINCIPAL_ADDRESSES: UploadKind = { what: 'They hold principal ARNs and the IPv4 addresses they called from (entity,ip), taken from your CloudTrail logs.', key: `${KEY}.ipinsights` };

/** The `confirmUpload` hook for SageMaker uploads in the extension (asked once per workspace, bucket and kind). */
export function uploadConsent(services: Services, kind: UploadKind = TRAINING_DATA): (plan: PlannedUpload[]) => Promise<boolean> {
  let asking: Promise<unknown> = Promise.resolve();
  const ask = async (plan: PlannedUpload[]): Promise<boolean> => {
    const buckets = [...new Set(plan.map((u) => u.bucket))];
    const agreed = services.context.workspaceState.get<string[]>(kind.key, []);
    if (buckets.every((b) => agreed.includes(b))) return true;
    const { lines, total } = awsCore().describePlannedUploads(plan);
    services.logger.info(`Upload requested (waiting for consent):\n  ${lines.join('\n  ')}`);
    const detail = [
      `${total} will be uploaded to ${buckets.map((b) => `s3://${b}`).join(', ')} for SageMaker training:`,
      ...lines.slice(0, 8),
      ...(lines.length > 8 ? [`... and ${lines.length - 8} more (see the SecML Lab log)`] : []),
      '',
      `${kind.what} You will not be asked again for this bucket in this workspace.`,
    ].join('\n');
    const pick = await showWarning('Upload training data to S3?', { modal: true, detail }, 'Upload');
    if (pick !== 'Upload') {
      services.logger.info('Upload declined: nothing was sent.');
      return false;
    }
    await services.context.workspaceState.update(kind.key, [...new Set([...agreed, ...buckets])]);
    return true;
  };
  return (plan) => {
    if (!plan.length) return Promise.resolve(true);
    const answer = asking.then(() => ask(plan));
    asking = answer.catch(() => undefined);
    return answer;
  };
}
