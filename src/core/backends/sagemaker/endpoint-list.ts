/**
 * Endpoints as the Endpoints view, the status bar and `secml endpoints` show them: status, instance type and count,
 * age, SecML tags (experiment, variant, run, purpose) and an estimated hourly cost. Also "delete all endpoints of this
 * experiment", found by tag so it works after a restart.
 */
import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointConfigCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../../aws/connection';
import { isSecmlError } from '../../errors';
import type { Logger } from '../../progress';
import { deleteDeployment } from './endpoints';
import type { EndpointState } from './endpoints';
import { nameSlug, readSecmlTags, TAG_EXPERIMENT, type ResourceTags } from './names';
import { mapLimit } from './parallel';
import { estimateHourlyCost } from './prices';

export interface EndpointInfo {
  name: string;
  arn?: string;
  status: EndpointState;
  creationTime?: Date;
  configName?: string;
  instanceType?: string;
  instanceCount?: number;
  modelNames: string[];
  failureReason?: string;
  tags: ResourceTags;
  /** True when the endpoint carries a secml:* tag (created by SecML). */
  secml: boolean;
  /** Estimated USD per hour (see prices.ts), undefined when the instance type is not in the table. */
  hourlyCost?: number;
}

export interface ListEndpointsOptions {
  /** Only endpoints SecML created (tagged). */
  secmlOnly?: boolean;
  /** Only endpoints tagged with this experiment. */
  experiment?: string;
  signal?: AbortSignal;
}

async function details(session: AwsSession, name: string, arn: string | undefined, signal?: AbortSignal): Promise<Omit<EndpointInfo, 'name' | 'arn' | 'status' | 'creationTime'> | undefined> {
  const sm = session.client(SageMakerClient);
  try {
    const [tags, ep] = await Promise.all([
      arn ? session.call(`List tags of endpoint ${name}`, () => sm.send(new ListTagsCommand({ ResourceArn: arn }), { abortSignal: signal })) : Promise.resolve({ Tags: [] }),
      session.call(`Describe endpoint ${name}`, () => sm.send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal: signal })),
    ]);
    const config = ep.EndpointConfigName
      ? await session.call(`Describe endpoint config ${ep.EndpointConfigName}`, () => sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: ep.EndpointConfigName }), { abortSignal: signal })).catch((e) => {
          if (isSecmlError(e) && e.code === 'NOT_FOUND') return undefined;
          throw e;
        })
      : undefined;
    const variant = config?.ProductionVariants?.[0];
    const current = ep.ProductionVariants?.[0];
    const instanceCount = current?.CurrentInstanceCount ?? variant?.InitialInstanceCount;
    const t = readSecmlTags(tags.Tags);
    return {
      configName: ep.EndpointConfigName,
      instanceType: variant?.InstanceType,
      instanceCount,
      modelNames: (config?.ProductionVariants ?? []).map((v) => v.ModelName).filter((m): m is string => Boolean(m)),
      failureReason: ep.FailureReason,
      tags: t,
      secml: (tags.Tags ?? []).some((x) => x.Key?.startsWith('secml:')),
      hourlyCost: estimateHourlyCost(variant?.InstanceType, instanceCount ?? 1),
    };
  } catch (e) {
    if (isSecmlError(e) && e.code === 'NOT_FOUND') return undefined; // deleted while we looked
    throw e;
  }
}

/** All endpoints of the account and region (every page), newest first, with details fetched 4 at a time. */
export async function listEndpoints(session: AwsSession, opts: ListEndpointsOptions = {}): Promise<EndpointInfo[]> {
  const sm = session.client(SageMakerClient);
  const summaries: { name: string; arn?: string; status: EndpointState; creationTime?: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await session.call('List endpoints', () => sm.send(new ListEndpointsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100, NextToken: token }), { abortSignal: opts.signal }));
    for (const e of page.Endpoints ?? []) summaries.push({ name: e.EndpointName ?? '', arn: e.EndpointArn, status: (e.EndpointStatus ?? 'Creating') as EndpointState, creationTime: e.CreationTime });
    token = page.NextToken || undefined;
  } while (token);
  const full = await mapLimit(summaries, 4, async (s) => {
    const d = await details(session, s.name, s.arn, opts.signal);
    return d ? ({ ...s, ...d } as EndpointInfo) : undefined;
  }, opts.signal);
  return full
    .filter((e): e is EndpointInfo => Boolean(e))
    .filter((e) => (!opts.secmlOnly || e.secml) && (!opts.experiment || e.tags.experiment === opts.experiment))
    .sort((a, b) => (b.creationTime?.getTime() ?? 0) - (a.creationTime?.getTime() ?? 0));
}

/** Deletes every endpoint tagged with this experiment, with its config and models. Returns the deleted resources. */
export async function deleteExperimentEndpoints(session: AwsSession, experiment: string, opts: { signal?: AbortSignal; logger?: Logger } = {}): Promise<string[]> {
  const endpoints = await listEndpoints(session, { experiment, signal: opts.signal });
  const deleted: string[] = [];
  for (const e of endpoints) deleted.push(...(await deleteDeployment(session, { endpointName: e.name, configName: e.configName }, opts.logger)));
  deleted.push(...(await deleteOrphans(session, experiment, opts)));
  return deleted;
}

/**
 * Endpoint configs and models of this experiment left without an endpoint (a deployment interrupted by a crash).
 * Only names containing the experiment's slug are checked (SecML names start with it), and only tagged ones are deleted.
 */
async function deleteOrphans(session: AwsSession, experiment: string, opts: { signal?: AbortSignal; logger?: Logger }): Promise<string[]> {
  const sm = session.client(SageMakerClient);
  const slug = nameSlug(experiment).slice(0, 30);
  const tagged = async (arn: string | undefined) =>
    Boolean(arn) && (await session.call('List tags', () => sm.send(new ListTagsCommand({ ResourceArn: arn }), { abortSignal: opts.signal }))).Tags?.some((t) => t.Key === TAG_EXPERIMENT && t.Value === experiment);
  const deleted: string[] = [];
  let token: string | undefined;
  do {
    const page = await session.call('List endpoint configs', () => sm.send(new ListEndpointConfigsCommand({ NameContains: slug, MaxResults: 100, NextToken: token }), { abortSignal: opts.signal }));
    for (const c of page.EndpointConfigs ?? []) {
      if (!(await tagged(c.EndpointConfigArn))) continue;
      await session.call(`Delete endpoint config ${c.EndpointConfigName}`, () => sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: c.EndpointConfigName })));
      deleted.push(`endpoint-config/${c.EndpointConfigName}`);
    }
    token = page.NextToken || undefined;
  } while (token);
  do {
    const page = await session.call('List models', () => sm.send(new ListModelsCommand({ NameContains: slug, MaxResults: 100, NextToken: token }), { abortSignal: opts.signal }));
    for (const m of page.Models ?? []) {
      if (!(await tagged(m.ModelArn))) continue;
      await session.call(`Delete model ${m.ModelName}`, () => sm.send(new DeleteModelCommand({ ModelName: m.ModelName })));
      deleted.push(`model/${m.ModelName}`);
    }
    token = page.NextToken || undefined;
  } while (token);
  if (deleted.length) opts.logger?.info(`Deleted leftovers of experiment ${experiment}: ${deleted.join(', ')}`);
  return deleted;
}
