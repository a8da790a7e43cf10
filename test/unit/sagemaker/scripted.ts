/**
 * Test doubles for the SageMaker status interfaces: a fake clock that advances instantly and records every sleep, and
 * status sources that play a script (statuses or errors, one per describe call; the last entry repeats).
 */
import { SecmlError } from '../../../src/core/errors';
import { cancelledError } from '../../../src/core/errors';
import type { Clock } from '../../../src/core/backends/sagemaker/polling';
import type { TrainingJobStatus, TrainingStatusSource, TrainingJobState } from '../../../src/core/backends/sagemaker/training-status';
import type { EndpointState, EndpointStatus, EndpointStatusSource } from '../../../src/core/backends/sagemaker/endpoints';

export class FakeClock implements Clock {
  t = 1_000_000;
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw cancelledError();
    this.sleeps.push(ms);
    this.t += ms;
    await Promise.resolve();
  }
}

export type Step<S> = S | Error | (() => Promise<S>);

async function play<S>(script: Step<S>[], i: number): Promise<S> {
  const step = script[Math.min(i, script.length - 1)];
  if (step instanceof Error) throw step;
  if (typeof step === 'function') return (step as () => Promise<S>)();
  return step;
}

export function job(status: TrainingJobState, extra: Partial<TrainingJobStatus> = {}): TrainingJobStatus {
  return { jobName: extra.jobName ?? 'job', status, finalMetrics: {}, ...extra };
}

export class ScriptedTrainingSource implements TrainingStatusSource {
  calls = 0;
  stopped: string[] = [];
  described: string[] = [];
  constructor(private readonly script: Step<TrainingJobStatus>[]) {}
  async describe(jobName: string): Promise<TrainingJobStatus> {
    this.described.push(jobName);
    const s = await play(this.script, this.calls++);
    return { ...s, jobName };
  }
  async stop(jobName: string): Promise<void> {
    this.stopped.push(jobName);
  }
}

export class ScriptedEndpointSource implements EndpointStatusSource {
  calls = 0;
  constructor(private readonly script: Step<{ status: EndpointState; failureReason?: string }>[]) {}
  async describe(name: string): Promise<EndpointStatus> {
    const s = await play(this.script, this.calls++);
    return { name, ...s };
  }
}

export const throttled = () => new SecmlError('AWS', 'Describe: AWS is throttling requests (ThrottlingException)', { details: { throttled: true, httpStatus: 400 } });
export const expired = () => new SecmlError('AWS_AUTH', 'Describe: your AWS credentials have expired (ExpiredTokenException). Sign in again or pick another profile with "SecML: Configure AWS".');
