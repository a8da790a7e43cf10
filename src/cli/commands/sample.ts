import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const sampleCommand: CommandSpec = {
  name: 'sample',
  summary: 'Create a sample workspace: realistic session logs, CloudTrail files and an experiment spec',
  async run() {
    throw new SecmlError('INTERNAL', 'secml sample is coming in this build.');
  },
};
