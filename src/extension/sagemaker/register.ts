/**
 * Wires the SageMaker side of the extension: the AWS context, "Configure AWS", the training-jobs section of the
 * Experiments view, the Endpoints view (local models, SageMaker endpoints), the endpoint cost status bar and the job/endpoint
 * commands. Returns the AwsContext so other features (experiments on the sagemaker backend, Athena) share the connection.
 */
import type { SageMakerBackend } from '../../core/backends/sagemaker/backend';
import { AwsContext } from '../aws-context';
import { registerConfigureAws } from '../commands/configure-aws';
import { registerSageMakerCommands } from '../commands/sagemaker-commands';
import type { Services } from '../services';
import { LocalModelsSection } from '../views/local-models';
import { SageMakerEndpointsSection } from '../views/sagemaker-endpoints';
import { TrainingJobsSection } from '../views/training-jobs';
import type { SecmlViews } from '../views/views';
import { registerEndpointStatusBar } from './endpoint-status-bar';
import { awsCore } from './core';
import { EndpointsModel } from './endpoints-model';
import { uploadConsent } from './upload-consent';

export interface SageMakerFeature {
  aws: AwsContext;
  endpoints: EndpointsModel;
  /** The backend for experiments run from the extension: current settings, upload consent asked once per workspace and bucket. */
  backend(): SageMakerBackend;
}

export function registerSageMaker(services: Services, views: SecmlViews): SageMakerFeature {
  const aws = new AwsContext(services);
  const endpoints = new EndpointsModel(services, aws);
  const jobs = new TrainingJobsSection(services, aws, views.experiments);
  const endpointsSection = new SageMakerEndpointsSection(services, aws, endpoints);
  services.track(aws);
  services.track(endpoints);
  services.track(jobs);
  views.experiments.addSection(() => jobs.roots());
  const localModels = new LocalModelsSection(services);
  services.track(localModels);
  views.endpoints.addSection(() => localModels.roots());
  views.endpoints.addSection(() => endpointsSection.roots());
  services.track(endpoints.onDidChange(() => views.endpoints.refresh()));
  services.track(services.awsChanged.event(() => void endpoints.reload()));
  services.track(registerEndpointStatusBar(endpoints));
  registerConfigureAws(services);
  registerSageMakerCommands(services, aws, jobs, endpoints);
  // First load after activation returns (it loads the AWS SDK): the status bar then shows what is running.
  const first = setTimeout(() => void endpoints.reload(), 1500);
  services.track({ dispose: () => clearTimeout(first) });
  return {
    aws,
    endpoints,
    backend: () => new (awsCore().SageMakerBackend)(aws.session(), aws.sageMakerSettings(), { confirmUpload: uploadConsent(services) }),
  };
}
