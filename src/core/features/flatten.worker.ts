/**
 * Worker-thread entry of the flatten's second thread (bundled to dist/flatten.worker.js): flattens and writes its
 * share of the variants (see flatten-shard.ts), then posts the counts or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWorkerError } from '../worker-script';
import { runShard, type ShardJob, type ShardMessage } from './flatten-shard';

const post = (m: ShardMessage) => parentPort!.postMessage(m);

runShard(workerData as ShardJob).then(
  (result) => post({ type: 'done', result }),
  (e: unknown) => post({ type: 'error', error: toWorkerError(e) }),
);
