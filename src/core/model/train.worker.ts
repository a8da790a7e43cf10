/**
 * Worker-thread entry of trainModel (bundled to dist/train.worker.js): runs one training job off the caller's
 * thread and posts its progress and result. Messages: see TrainingWorkerMessage in train.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWorkerError } from '../worker-script';
import type { TrainingWorkerInput, TrainingWorkerMessage } from './train';
import { runTrainingJob } from './training-job';

const post = (m: TrainingWorkerMessage) => parentPort!.postMessage(m);
const input = workerData as TrainingWorkerInput;

runTrainingJob(input.datasetDir, input.params, {
  onRound: (round) => post({ type: 'round', round }),
  onStage: (message) => post({ type: 'stage', message }),
}).then(
  (result) => post({ type: 'done', result }),
  (e: unknown) => post({ type: 'error', error: toWorkerError(e) }),
);
