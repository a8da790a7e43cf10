import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const experimentCommand: CommandSpec = {
  name: 'experiment',
  summary: 'Run an experiment spec: one model per variant, locally or on SageMaker',
  async run() {
    throw new SecmlError('INTERNAL', 'secml experiment is coming in this build.');
  },
};
