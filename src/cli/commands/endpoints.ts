import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const endpointsCommand: CommandSpec = {
  name: 'endpoints',
  summary: 'List or delete SageMaker endpoints',
  async run() {
    throw new SecmlError('INTERNAL', 'secml endpoints is coming in this build.');
  },
};
