import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const scoreCommand: CommandSpec = {
  name: 'score',
  summary: 'Score log files with a model and rank sessions by attack probability',
  async run() {
    throw new SecmlError('INTERNAL', 'secml score is coming in this build.');
  },
};
