/** Every `secml` subcommand, in the order `secml --help` lists them. One file per subcommand in ./commands. */
import type { CommandSpec } from './command';
import { sampleCommand } from './commands/sample';
import { flattenCommand } from './commands/flatten';
import { trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { scoreCommand } from './commands/score';
import { experimentCommand } from './commands/experiment';
import { queryCommand } from './commands/query';
import { jobsCommand } from './commands/jobs';
import { endpointsCommand } from './commands/endpoints';
import { cloudtrailCommand } from './commands/cloudtrail';

export const COMMANDS: CommandSpec[] = [
  sampleCommand,
  flattenCommand,
  trainCommand,
  evalCommand,
  scoreCommand,
  experimentCommand,
  queryCommand,
  cloudtrailCommand,
  jobsCommand,
  endpointsCommand,
];
