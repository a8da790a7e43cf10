/**
 * SecML Lab's entry point: only wiring. Each feature registers its commands, views and panels from its own module;
 * heavy modules (AWS SDK, DuckDB, the trainer) are loaded lazily by the code that needs them.
 */
import * as vscode from 'vscode';
import { Services } from './services';
import { onSettingsChanged } from './settings';
import { registerGeneralCommands } from './commands/general';
import { SecmlViews } from './views/views';
import { registerSampleCommands } from './commands/sample';
import { registerExperiments, useSageMakerForExperiments } from './commands/experiments';
import { registerSageMaker } from './sagemaker/register';
import { registerTrainCommands } from './commands/train';
import { registerQuery } from './commands/query';
import { registerFlatten } from './commands/flatten';
import { registerScore } from './commands/score';
import { registerCloudTrailAnalytics } from './commands/cloudtrail-analytics';

export interface SecmlApi {
  /** For the in-host tests: the services and views the extension runs on. */
  services: Services;
  views: SecmlViews;
}

export async function activate(context: vscode.ExtensionContext): Promise<SecmlApi> {
  const t0 = Date.now();
  const services = new Services(context);
  context.subscriptions.push(services);

  const views = new SecmlViews(services);
  registerGeneralCommands(services);
  // Feature modules register here, one line each: register<Feature>(services, views).
  registerSampleCommands(services);
  const experiments = registerExperiments(services, views);
  const sageMaker = registerSageMaker(services, views);
  useSageMakerForExperiments(services, experiments, sageMaker);
  registerTrainCommands(services);
  registerQuery(services);
  registerFlatten(services, views);
  registerScore(services, sageMaker);
  registerCloudTrailAnalytics(services, sageMaker);

  services.track(
    onSettingsChanged((e) => {
      if (e.aws) services.awsChanged.fire();
    }),
  );
  services.logger.info(`SecML Lab activated in ${Date.now() - t0} ms`);
  return { services, views };
}

export function deactivate(): void {}
