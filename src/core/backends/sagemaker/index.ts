/** The SageMaker backend's public surface, for the experiments runner, the CLI and the extension. */
export { SageMakerBackend, JOB_RECORD_FILE, trainStateOf, type SageMakerBackendDeps, type JobRecord } from './backend';
export { sageMakerSettings, checkTrainingSettings, checkScoringSettings, DEFAULT_SAGEMAKER_SETTINGS, type SageMakerSettings, type ScoringMode } from './settings';
export { plannedUploads, uploadPlanned, channelS3Uri, describePlannedUploads, type PlannedUpload, type UploadSource } from './upload';
export { listTrainingJobsPage, listTrainingJobs, stopTrainingJob, deleteTrainingJob, parseTrainingJobState, TRAINING_JOB_STATES, type TrainingJobSummary, type TrainingJobFilter, type TrainingJobPage } from './training-jobs';
export { SageMakerTrainingStatusSource, waitForTrainingJob, type TrainingJobStatus, type TrainingStatusSource, type TrainingJobState } from './training-status';
export { deployModel, deleteDeployment, waitForEndpoint, type Deployment, type EndpointStatusSource, type EndpointState } from './endpoints';
export { listEndpoints, deleteExperimentEndpoints, type EndpointInfo } from './endpoint-list';
export { resourceAge } from './age';
export { estimateHourlyCost, formatHourlyCost, PRICE_NOTE } from './prices';
export { trainingJobConsoleUrl, trainingJobLogsUrl, endpointConsoleUrl } from './console-links';
export { xgboostImageUri, XGBOOST_VERSION } from './images';
export { MIN_POLL_INTERVAL_MS, type Clock } from './polling';
