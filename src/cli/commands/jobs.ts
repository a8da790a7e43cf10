import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const jobsCommand: CommandSpec = {
  name: 'jobs',
  summary: 'List, stop or delete SageMaker training jobs',
  async run() {
    throw new SecmlError('INTERNAL', 'secml jobs is coming in this build.');
  },
};
