/**
 * Every `secml` subcommand, in the order `secml --help` lists them. One file per subcommand in ./commands, loaded only
 * when that command runs: `secml flatten` never loads the AWS SDK or DuckDB. (The summaries here are the commands'
 * own; test/unit/cli/registry.test.ts keeps them equal.)
 */
import type { CommandSpec } from './command';
import type * as Sample from './commands/sample';
import type * as Flatten from './commands/flatten';
import type * as Train from './commands/train';
import type * as Eval from './commands/eval';
import type * as Score from './commands/score';
import type * as Experiment from './commands/experiment';
import type * as Query from './commands/query';
import type * as Cloudtrail from './commands/cloudtrail';
import type * as Jobs from './commands/jobs';
import type * as Endpoints from './commands/endpoints';

// require() rather than import(): the CommonJS bundle then evaluates a command's module (and what it imports) on first use.
/* eslint-disable @typescript-eslint/no-require-imports */

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CommandSpec>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'sample', summary: 'Create a sample workspace: realistic session logs, CloudTrail files and an experiment spec', load: async () => (require('./commands/sample') as typeof Sample).sampleCommand },
  { name: 'flatten', summary: 'Flatten logs into one row per session (bag of events), with truncated variants and splits', load: async () => (require('./commands/flatten') as typeof Flatten).flattenCommand },
  { name: 'train', summary: 'Train a local XGBoost-compatible model on a flattened dataset', load: async () => (require('./commands/train') as typeof Train).trainCommand },
  { name: 'eval', summary: 'Evaluate a model on a labelled CSV or dataset: confusion matrix, precision, recall, AUCs, recall at FPR 5%', load: async () => (require('./commands/eval') as typeof Eval).evalCommand },
  { name: 'score', summary: 'Score log files with a model and rank sessions by attack probability', load: async () => (require('./commands/score') as typeof Score).scoreCommand },
  { name: 'experiment', summary: 'Run an experiment spec: one model per variant, locally or on SageMaker; list and compare runs', load: async () => (require('./commands/experiment') as typeof Experiment).experimentCommand },
  { name: 'query', summary: 'Run SQL over CloudTrail: DuckDB on local files or Amazon Athena', load: async () => (require('./commands/query') as typeof Query).queryCommand },
  { name: 'cloudtrail', summary: "CloudTrail analytics: unusual principal/IP pairs, activity over time, a day's alerts, IP Insights", load: async () => (require('./commands/cloudtrail') as typeof Cloudtrail).cloudtrailCommand },
  { name: 'jobs', summary: 'List, show, stop or delete SageMaker training jobs', load: async () => (require('./commands/jobs') as typeof Jobs).jobsCommand },
  { name: 'endpoints', summary: 'List or delete SageMaker endpoints', load: async () => (require('./commands/endpoints') as typeof Endpoints).endpointsCommand },
];
