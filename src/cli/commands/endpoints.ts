/** `secml endpoints list|delete`: SageMaker endpoints, what they cost, and tearing them down with their configs and models. */
import type { CommandSpec } from '../command';
import { flag, positionals, str, usageError } from '../args';
import { AWS_OPTIONS, awsSessionFromArgs } from '../aws-options';
import { formatTable } from '../table';
import { deleteDeployment } from '../../core/backends/sagemaker/endpoints';
import { deleteExperimentEndpoints, listEndpoints } from '../../core/backends/sagemaker/endpoint-list';
import { resourceAge } from '../../core/backends/sagemaker/age';
import { formatHourlyCost, PRICE_NOTE } from '../../core/backends/sagemaker/prices';

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List SageMaker endpoints with status, instance type, age and estimated cost',
  options: [
    { name: 'all', type: 'boolean', description: 'Include endpoints SecML did not create (no secml:* tags).' },
    { name: 'experiment', type: 'string', valueName: 'NAME', description: 'Only endpoints of this experiment.' },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const session = awsSessionFromArgs(args);
    try {
      const eps = await listEndpoints(session, { secmlOnly: !flag(args, 'all'), experiment: str(args, 'experiment'), signal: io.signal });
      const total = eps.filter((e) => e.status !== 'Failed').reduce((a, e) => a + (e.hourlyCost ?? 0), 0);
      if (flag(args, 'json')) {
        io.out(JSON.stringify({ endpoints: eps.map((e) => ({ ...e, creationTime: e.creationTime?.toISOString() })), estimatedUsdPerHour: Math.round(total * 1000) / 1000, priceNote: PRICE_NOTE }));
        return 0;
      }
      if (!eps.length) {
        io.out(flag(args, 'all') ? 'No endpoints.' : 'No SecML endpoints (add --all to see every endpoint).');
        return 0;
      }
      io.out(
        formatTable(
          ['NAME', 'STATUS', 'INSTANCE', 'AGE', 'COST', 'EXPERIMENT', 'VARIANT'],
          eps.map((e) => [e.name, e.status, e.instanceType ? `${e.instanceCount ?? 1} x ${e.instanceType}` : '', resourceAge(e.creationTime), formatHourlyCost(e.hourlyCost), e.tags.experiment ?? '', e.tags.variant ?? '']),
        ),
      );
      io.out(`\n${eps.length} endpoint(s), ${formatHourlyCost(total)} in total (${PRICE_NOTE}).`);
      return 0;
    } finally {
      session.destroy();
    }
  },
};

const deleteCommand: CommandSpec = {
  name: 'delete',
  summary: 'Delete endpoints with their endpoint configs and models',
  description: 'Example: secml endpoints delete --experiment harvest   (every endpoint tagged with that experiment)',
  positionals: [{ name: 'NAME', description: 'Endpoint names.', variadic: true }],
  options: [{ name: 'experiment', type: 'string', valueName: 'NAME', description: 'Delete every endpoint of this experiment (by its secml:experiment tag), and its leftover configs and models.' }, ...AWS_OPTIONS],
  async run(args, io) {
    const names = positionals(args, 'NAME');
    const experiment = str(args, 'experiment');
    if (!names.length && !experiment) throw usageError('name the endpoints to delete, or give --experiment NAME');
    const session = awsSessionFromArgs(args);
    try {
      const deleted: string[] = [];
      for (const name of names) {
        const d = await deleteDeployment(session, { endpointName: name }, io.logger);
        if (!d.length) io.logger.warn(`No endpoint named ${name}.`);
        deleted.push(...d);
      }
      if (experiment) deleted.push(...(await deleteExperimentEndpoints(session, experiment, { signal: io.signal, logger: io.logger })));
      if (flag(args, 'json')) io.out(JSON.stringify({ deleted }));
      else io.out(deleted.length ? deleted.map((d) => `Deleted ${d}`).join('\n') : 'Nothing to delete.');
      return 0;
    } finally {
      session.destroy();
    }
  },
};

export const endpointsCommand: CommandSpec = {
  name: 'endpoints',
  summary: 'List or delete SageMaker endpoints',
  description: 'Uses AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL (or --profile, --region, --endpoint-url).',
  subcommands: [listCommand, deleteCommand],
};
