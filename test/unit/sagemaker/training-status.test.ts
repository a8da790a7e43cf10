import * as assert from 'node:assert/strict';
import { MIN_POLL_INTERVAL_MS, pollUntilFinal } from '../../../src/core/backends/sagemaker/polling';
import { toTrainingJobStatus, waitForTrainingJob } from '../../../src/core/backends/sagemaker/training-status';
import { trainStateOf } from '../../../src/core/backends/sagemaker/backend';
import { waitForEndpoint } from '../../../src/core/backends/sagemaker/endpoints';
import { SecmlError } from '../../../src/core/errors';
import { expired, FakeClock, job, ScriptedEndpointSource, ScriptedTrainingSource, throttled } from './scripted';

describe('sagemaker/training-status: polling a training job', () => {
  it('follows InProgress -> Completed, reports each change, never polls faster than every 10 s and backs off', async () => {
    const clock = new FakeClock();
    const source = new ScriptedTrainingSource([
      job('InProgress', { secondaryStatus: 'Starting' }),
      job('InProgress', { secondaryStatus: 'Starting' }),
      job('InProgress', { secondaryStatus: 'Starting' }),
      job('InProgress', { secondaryStatus: 'Training' }),
      job('InProgress', { secondaryStatus: 'Training' }),
      job('Completed', { secondaryStatus: 'Completed', modelArtifact: 's3://b/out/model.tar.gz', finalMetrics: { 'validation:auc': 0.91 } }),
    ]);
    const seen: string[] = [];
    const final = await waitForTrainingJob(source, 'j1', { clock, onStatus: (s) => seen.push(`${s.status}/${s.secondaryStatus}`) });
    assert.equal(final.status, 'Completed');
    assert.equal(final.finalMetrics['validation:auc'], 0.91);
    assert.deepEqual(seen, ['InProgress/Starting', 'InProgress/Training', 'Completed/Completed']);
    assert.equal(source.calls, 6);
    assert.ok(clock.sleeps.every((ms) => ms >= MIN_POLL_INTERVAL_MS), `sleeps ${clock.sleeps}`);
    assert.deepEqual(clock.sleeps, [10_000, 15_000, 22_500, 10_000, 15_000], 'backs off while unchanged, resets on change');
  });

  it('an interval asked below 10 s is raised to 10 s', async () => {
    const clock = new FakeClock();
    await waitForTrainingJob(new ScriptedTrainingSource([job('InProgress'), job('Completed')]), 'j', { clock, intervalMs: 5 });
    assert.deepEqual(clock.sleeps, [10_000]);
  });

  it('returns Failed (with FailureReason) and Stopped as final states', async () => {
    const failed = await waitForTrainingJob(new ScriptedTrainingSource([job('InProgress'), job('Failed', { failureReason: 'AlgorithmError: label must be 0 or 1' })]), 'j', { clock: new FakeClock() });
    assert.equal(failed.status, 'Failed');
    assert.match(failed.failureReason!, /label must be/);
    const stopped = await waitForTrainingJob(new ScriptedTrainingSource([job('InProgress'), job('Stopping'), job('Stopped')]), 'j', { clock: new FakeClock() });
    assert.equal(stopped.status, 'Stopped');
  });

  it('rides out throttling with a longer interval, then gives up after too many in a row', async () => {
    const clock = new FakeClock();
    const ok = await waitForTrainingJob(new ScriptedTrainingSource([job('InProgress'), throttled(), throttled(), job('Completed')]), 'j', { clock });
    assert.equal(ok.status, 'Completed');
    assert.deepEqual(clock.sleeps, [10_000, 20_000, 40_000]);
    await assert.rejects(
      waitForTrainingJob(new ScriptedTrainingSource([throttled()]), 'j', { clock: new FakeClock(), maxConsecutiveErrors: 3 }),
      (e: any) => e.code === 'AWS' && e.details?.throttled === true,
    );
  });

  it('stops at once on expired or denied credentials (no retry loop), keeping the Configure AWS hint', async () => {
    const source = new ScriptedTrainingSource([job('InProgress'), expired()]);
    await assert.rejects(waitForTrainingJob(source, 'j', { clock: new FakeClock() }), (e: any) => e.code === 'AWS_AUTH' && /Configure AWS/.test(e.message));
    assert.equal(source.calls, 2);
  });

  it('does not retry a missing job or bad input', async () => {
    const source = new ScriptedTrainingSource([new SecmlError('NOT_FOUND', 'Could not find training job j')]);
    await assert.rejects(waitForTrainingJob(source, 'j', { clock: new FakeClock() }), (e: any) => e.code === 'NOT_FOUND');
    assert.equal(source.calls, 1);
  });

  it('times out with the last status when a job never ends', async () => {
    const clock = new FakeClock();
    await assert.rejects(
      waitForTrainingJob(new ScriptedTrainingSource([job('InProgress', { secondaryStatus: 'Training' })]), 'j', { clock, timeoutMs: 30 * 60_000 }),
      (e: any) => e.code === 'AWS' && e.details?.timedOut === true && /still InProgress \(Training\) after 30 min/.test(e.message),
    );
    assert.ok(clock.t - 1_000_000 <= 30 * 60_000);
  });

  it('treats a status call that hangs as transient (per-call timeout), then continues', async () => {
    const clock = new FakeClock();
    const source = new ScriptedTrainingSource([() => new Promise(() => {}), job('Completed')]);
    const final = await waitForTrainingJob(source, 'j', { clock, callTimeoutMs: 20 });
    assert.equal(final.status, 'Completed');
    assert.equal(source.calls, 2);
  });

  it('cancels promptly when the signal aborts', async () => {
    const controller = new AbortController();
    const source = new ScriptedTrainingSource([
      async () => {
        controller.abort();
        return job('InProgress');
      },
    ]);
    await assert.rejects(waitForTrainingJob(source, 'j', { clock: new FakeClock(), signal: controller.signal }), (e: any) => e.code === 'CANCELLED');
  });

  it('maps DescribeTrainingJob to a status and a run state', () => {
    const s = toTrainingJobStatus({
      TrainingJobName: 'j',
      TrainingJobArn: 'arn:aws:sagemaker:us-east-1:1:training-job/j',
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Downloading',
      SecondaryStatusTransitions: [{ Status: 'Downloading', StartTime: new Date(), StatusMessage: 'Downloading input data' }],
      FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.8 }],
    } as any);
    assert.equal(s.statusMessage, 'Downloading input data');
    assert.deepEqual(s.finalMetrics, { 'validation:auc': 0.8 });
    assert.equal(trainStateOf(s), 'starting');
    assert.equal(trainStateOf({ ...s, secondaryStatus: 'Training' }), 'training');
    assert.equal(trainStateOf({ ...s, status: 'Stopping' }), 'stopping');
  });

  it('a generic poll rejects the first non-transient failure untouched', async () => {
    await assert.rejects(
      pollUntilFinal({ what: 'x', fetch: async () => { throw new SecmlError('BAD_ARGUMENT', 'nope'); }, isFinal: () => true, label: () => '' }, { clock: new FakeClock() }),
      (e: any) => e.code === 'BAD_ARGUMENT',
    );
  });
});

describe('sagemaker/endpoints: waiting for an endpoint', () => {
  it('waits Creating -> InService and returns Failed with its reason', async () => {
    const clock = new FakeClock();
    const ok = await waitForEndpoint(new ScriptedEndpointSource([{ status: 'Creating' }, { status: 'Creating' }, { status: 'InService' }]), 'ep', { clock });
    assert.equal(ok.status, 'InService');
    assert.deepEqual(clock.sleeps, [10_000, 15_000]);
    const failed = await waitForEndpoint(new ScriptedEndpointSource([{ status: 'Creating' }, { status: 'Failed', failureReason: 'image not found' }]), 'ep', { clock: new FakeClock() });
    assert.equal(failed.failureReason, 'image not found');
  });

  it('gives up after 30 minutes by default', async () => {
    await assert.rejects(waitForEndpoint(new ScriptedEndpointSource([{ status: 'Creating' }]), 'ep', { clock: new FakeClock() }), /still Creating after 30 min/);
  });
});
