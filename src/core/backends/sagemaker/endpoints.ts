/**
 * Deploying a trained model (model -> endpoint config -> endpoint, then wait with backoff until InService or Failed),
 * and tearing deployments down (endpoint, its config and its models). A deployment that fails or is cancelled half-way
 * deletes what it had created before it rejects: nothing is left running by accident.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  SageMakerClient,
  type ProductionVariantInstanceType,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../../aws/connection';
import { isCancellation, isSecmlError, SecmlError, userMessage } from '../../errors';
import type { Logger } from '../../progress';
import { pollUntilFinal, type PollOptions } from './polling';
import { checkEndpointInstanceType, checkIntegerIn, checkResourceName, checkRoleArn, parseS3Uri } from './validate';

export type EndpointState = 'Creating' | 'InService' | 'Failed' | 'Updating' | 'SystemUpdating' | 'RollingBack' | 'OutOfService' | 'Deleting' | 'UpdateRollbackFailed';

export interface EndpointStatus {
  name: string;
  status: EndpointState;
  failureReason?: string;
  configName?: string;
  creationTime?: Date;
}

export interface EndpointStatusSource {
  describe(endpointName: string, signal?: AbortSignal): Promise<EndpointStatus>;
}

export class SageMakerEndpointStatusSource implements EndpointStatusSource {
  constructor(private readonly session: AwsSession) {}

  async describe(endpointName: string, signal?: AbortSignal): Promise<EndpointStatus> {
    const d = await this.session.call(`Describe endpoint ${endpointName}`, () =>
      this.session.client(SageMakerClient).send(new DescribeEndpointCommand({ EndpointName: endpointName }), { abortSignal: signal }),
    );
    return { name: d.EndpointName ?? endpointName, status: (d.EndpointStatus ?? 'Creating') as EndpointState, failureReason: d.FailureReason, configName: d.EndpointConfigName, creationTime: d.CreationTime };
  }
}

export interface DeploySpec {
  /** Model, endpoint config and endpoint all get this name. */
  name: string;
  imageUri: string;
  /** s3://.../model.tar.gz */
  modelArtifact: string;
  roleArn: string;
  instanceType: string;
  instanceCount: number;
  tags: Tag[];
}

export interface Deployment {
  endpointName: string;
  configName: string;
  modelName: string;
}

export interface DeployOptions extends PollOptions {
  statusSource?: EndpointStatusSource;
  /** Waiting ends after this long (default 30 min: SageMaker endpoints take 5-10 min). */
  timeoutMs?: number;
  onStatus?(s: EndpointStatus): void;
}

const SETTLING: ReadonlySet<EndpointState> = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

export function waitForEndpoint(source: EndpointStatusSource, endpointName: string, opts: DeployOptions = {}): Promise<EndpointStatus> {
  return pollUntilFinal(
    { what: `Endpoint ${endpointName}`, fetch: (signal) => source.describe(endpointName, signal), isFinal: (s) => !SETTLING.has(s.status), label: (s) => s.status, onStatus: opts.onStatus },
    { timeoutMs: 30 * 60_000, ...opts },
  );
}

/** CreateModel for the built-in XGBoost container serving `modelArtifact`. Returns the model name. */
export async function createModel(session: AwsSession, spec: Pick<DeploySpec, 'name' | 'imageUri' | 'modelArtifact' | 'roleArn' | 'tags'>): Promise<string> {
  const name = checkResourceName('model', spec.name);
  const roleArn = checkRoleArn(spec.roleArn);
  parseS3Uri(spec.modelArtifact);
  await session.call(`Create model ${name}`, () =>
    session.client(SageMakerClient).send(new CreateModelCommand({ ModelName: name, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: spec.imageUri, ModelDataUrl: spec.modelArtifact }, Tags: spec.tags })),
  );
  return name;
}

/** Creates model, endpoint config and endpoint, and waits until the endpoint is InService. Cleans up on any failure. */
export async function deployModel(session: AwsSession, spec: DeploySpec, opts: DeployOptions = {}): Promise<Deployment> {
  const name = checkResourceName('endpoint', spec.name);
  const roleArn = checkRoleArn(spec.roleArn);
  parseS3Uri(spec.modelArtifact);
  const instanceType = checkEndpointInstanceType(spec.instanceType) as ProductionVariantInstanceType;
  const instanceCount = checkIntegerIn('The endpoint instance count', spec.instanceCount, 1, 10);
  const sm = session.client(SageMakerClient);
  const created: Partial<Deployment> = {};
  // Each name is recorded before its Create call: a call that times out or is cancelled after AWS accepted it still
  // leaves a resource (an endpoint bills by the hour), so cleanup deletes by name and skips what does not exist.
  // Only a name that was already taken (not ours) is forgotten again.
  const creating = async (kind: keyof Deployment, create: () => Promise<unknown>) => {
    created[kind] = name;
    try {
      await create();
    } catch (e) {
      if (/already exist/i.test(userMessage(e))) delete created[kind];
      throw e;
    }
  };
  try {
    await creating('modelName', () => createModel(session, { ...spec, roleArn }));
    await creating('configName', () =>
      session.call(`Create endpoint config ${name}`, () =>
        sm.send(
          new CreateEndpointConfigCommand({
            EndpointConfigName: name,
            ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: name, InstanceType: instanceType, InitialInstanceCount: instanceCount, InitialVariantWeight: 1 }],
            Tags: spec.tags,
          }),
        ),
      ),
    );
    await creating('endpointName', () => session.call(`Create endpoint ${name}`, () => sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name, Tags: spec.tags }))));
    const final = await waitForEndpoint(opts.statusSource ?? new SageMakerEndpointStatusSource(session), name, opts);
    if (final.status !== 'InService') {
      throw new SecmlError('AWS', `Endpoint ${name} ended ${final.status}${final.failureReason ? `: ${final.failureReason}` : ''}.`, { details: { endpointName: name, failureReason: final.failureReason } });
    }
    return { endpointName: name, configName: name, modelName: name };
  } catch (e) {
    await deleteDeployment(session, created, opts.logger).catch((cleanup) => {
      opts.logger?.error(`Could not clean up ${name} after ${isCancellation(e) ? 'cancelling' : 'a failed deployment'}: ${userMessage(cleanup)}. Delete it from the Endpoints view or with: secml endpoints delete ${name}`);
    });
    throw e;
  }
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    if (isSecmlError(e) && e.code === 'NOT_FOUND') return false;
    throw e;
  }
}

/**
 * Deletes an endpoint, its endpoint config and the config's models. Names not given are looked up (endpoint -> config
 * -> models). Missing pieces are skipped. Returns what was deleted, as `endpoint/x`, `endpoint-config/x`, `model/x`.
 */
export async function deleteDeployment(session: AwsSession, target: Partial<Deployment>, logger?: Logger): Promise<string[]> {
  const sm = session.client(SageMakerClient);
  let configName = target.configName;
  const models = new Set<string>(target.modelName ? [target.modelName] : []);
  if (target.endpointName && !configName) {
    try {
      const d = await session.call(`Describe endpoint ${target.endpointName}`, () => sm.send(new DescribeEndpointCommand({ EndpointName: target.endpointName })));
      configName = d.EndpointConfigName;
    } catch (e) {
      if (!(isSecmlError(e) && e.code === 'NOT_FOUND')) throw e;
    }
  }
  if (configName) {
    try {
      const c = await session.call(`Describe endpoint config ${configName}`, () => sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })));
      for (const v of c.ProductionVariants ?? []) if (v.ModelName) models.add(v.ModelName);
    } catch (e) {
      if (!(isSecmlError(e) && e.code === 'NOT_FOUND')) throw e;
    }
  }
  const deleted: string[] = [];
  if (target.endpointName && (await ignoreNotFound(session.call(`Delete endpoint ${target.endpointName}`, () => sm.send(new DeleteEndpointCommand({ EndpointName: target.endpointName })))))) {
    deleted.push(`endpoint/${target.endpointName}`);
  }
  if (configName && (await ignoreNotFound(session.call(`Delete endpoint config ${configName}`, () => sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: configName })))))) {
    deleted.push(`endpoint-config/${configName}`);
  }
  for (const m of models) {
    if (await ignoreNotFound(session.call(`Delete model ${m}`, () => sm.send(new DeleteModelCommand({ ModelName: m }))))) deleted.push(`model/${m}`);
  }
  if (deleted.length) logger?.info(`Deleted ${deleted.join(', ')}`);
  return deleted;
}
