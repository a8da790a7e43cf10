/**
 * Child process of the crash test: launches the sample experiment with a fake backend, one run at a time; the second run
 * never finishes training. Prints RUNNING <runId> once the first run completed and the second is training, then waits to be killed.
 */
import { launchExperiment } from '../../src/core/experiments/runner';
import { FakeBackend, fakeDeps, sampleSpec } from '../unit/experiments/fakes';

async function main(): Promise<void> {
  const backend = new FakeBackend();
  backend.gated = new Set(['drop0.2']);
  const deps = fakeDeps(process.argv[2], backend);
  const launch = await launchExperiment(sampleSpec({ maxConcurrentRuns: 1 }), deps, {
    onEvent: (e) => {
      if (e.type === 'run' && e.run.variant === 'drop0.2' && e.run.status === 'running' && e.run.progress?.phase === 'training') {
        process.stdout.write(`RUNNING ${e.run.id}\n`);
      }
    },
  });
  await launch.done;
}

if (require.main === module) void main();
