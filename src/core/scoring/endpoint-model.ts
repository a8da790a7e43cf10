/**
 * Scoring through a SageMaker real-time endpoint: rows in the model's column order, no label, as text/csv batches under
 * the payload limit, sent in parallel (invoke.ts), cancellable. Loads the AWS SDK: the extension requires this module
 * lazily (through its AWS core), never at activation.
 */
import { DescribeEndpointCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../aws/connection';
import { readSecmlTags, type ResourceTags } from '../backends/sagemaker/names';
import { endpointInvoker, predictInBatches, type InvokeFn } from '../backends/sagemaker/invoke';
import { SecmlError } from '../errors';
import type { ScoringModelInfo } from '../features/scoring-table';
import type { ModelThreshold, ScoringModel } from './scoring-model';

export const DEFAULT_ENDPOINT_CONCURRENCY = 4;

export interface EndpointModelOptions {
  endpointName: string;
  info: ScoringModelInfo;
  threshold: ModelThreshold;
  /** Shown in titles (default: the endpoint name). */
  label?: string;
  /** Replaces InvokeEndpoint (tests). */
  invoke?: InvokeFn;
  concurrency?: number;
  maxBatchBytes?: number;
}

export function endpointScoringModel(session: AwsSession | undefined, o: EndpointModelOptions): ScoringModel {
  if (!o.invoke && !session) throw new SecmlError('BAD_ARGUMENT', 'Scoring through an endpoint needs an AWS session.');
  const invoke = o.invoke ?? endpointInvoker(session!, o.endpointName);
  const F = o.info.features.length;
  return {
    kind: 'endpoint',
    label: o.label ?? o.endpointName,
    location: `endpoint ${o.endpointName}`,
    info: o.info,
    threshold: o.threshold,
    predict: (rows, n, work = {}) =>
      predictInBatches(invoke, rows, n, F, {
        concurrency: o.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY,
        maxBatchBytes: o.maxBatchBytes,
        signal: work.signal,
        onProgress: work.onProgress,
        what: `endpoint ${o.endpointName}`,
      }),
  };
}

export interface ScoringEndpoint {
  name: string;
  status: string;
  tags: ResourceTags;
}

/** The endpoint's status and SecML tags; throws unless it is InService. */
export async function describeScoringEndpoint(session: AwsSession, name: string, signal?: AbortSignal): Promise<ScoringEndpoint> {
  const sm = session.client(SageMakerClient);
  const ep = await session.call(`Describe endpoint ${name}`, () => sm.send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal: signal }));
  const status = ep.EndpointStatus ?? 'Creating';
  if (status !== 'InService') throw new SecmlError('BAD_ARGUMENT', `Endpoint ${name} is ${status}: only an InService endpoint can score.`);
  const tags = ep.EndpointArn ? await session.call(`List tags of endpoint ${name}`, () => sm.send(new ListTagsCommand({ ResourceArn: ep.EndpointArn }), { abortSignal: signal })) : { Tags: [] };
  return { name, status, tags: readSecmlTags(tags.Tags) };
}
