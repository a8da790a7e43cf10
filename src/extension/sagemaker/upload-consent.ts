/**
 * Nothing leaves the machine without consent: before the first upload to a bucket, show what would be sent (files,
 * sizes, destination) and ask once per workspace and bucket. The answer is kept in workspaceState.
 */
import * as vscode from 'vscode';
import type { PlannedUpload } from '../../core/backends/sagemaker/upload';
import type { Services } from '../services';

const KEY = 'secml.uploadConsent';

function mb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function describePlan(plan: PlannedUpload[]): string[] {
  return plan.map((u) => `${u.file}${u.start > 0 || u.bytes !== u.end ? ` [bytes ${u.start}-${u.end}]` : ''} (${mb(u.bytes)}) -> ${u.destination}`);
}

/** The `confirmUpload` hook for SageMakerBackend in the extension. */
export function uploadConsent(services: Services): (plan: PlannedUpload[]) => Promise<boolean> {
  return async (plan) => {
    if (!plan.length) return true;
    const buckets = [...new Set(plan.map((u) => u.bucket))];
    const agreed = services.context.workspaceState.get<string[]>(KEY, []);
    if (buckets.every((b) => agreed.includes(b))) return true;
    const lines = describePlan(plan);
    services.logger.info(`Upload requested (waiting for consent):\n  ${lines.join('\n  ')}`);
    const total = plan.reduce((a, u) => a + u.bytes, 0);
    const detail = [
      `${plan.length} file(s), ${mb(total)} in total, will be uploaded to ${buckets.map((b) => `s3://${b}`).join(', ')} for SageMaker training:`,
      ...lines.slice(0, 8),
      ...(lines.length > 8 ? [`... and ${lines.length - 8} more (see the SecML Lab log)`] : []),
      '',
      'They hold the flattened sessions of your logs (event counts per session, labels). You will not be asked again for this bucket in this workspace.',
    ].join('\n');
    const pick = await vscode.window.showWarningMessage('Upload training data to S3?', { modal: true, detail }, 'Upload');
    if (pick !== 'Upload') {
      services.logger.info('Upload declined: nothing was sent.');
      return false;
    }
    await services.context.workspaceState.update(KEY, [...new Set([...agreed, ...buckets])]);
    return true;
  };
}
