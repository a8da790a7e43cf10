import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const queryCommand: CommandSpec = {
  name: 'query',
  summary: 'Run SQL over CloudTrail: DuckDB on local files or Amazon Athena',
  async run() {
    throw new SecmlError('INTERNAL', 'secml query is coming in this build.');
  },
};
