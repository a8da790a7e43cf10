/** Links into the AWS console for a training job, its CloudWatch logs, and an endpoint. */

function consoleHost(region: string): string {
  return region.startsWith('cn-') ? 'https://console.amazonaws.cn' : region.startsWith('us-gov-') ? 'https://console.amazonaws-us-gov.com' : `https://${region}.console.aws.amazon.com`;
}

/** The console's hash routes double-encode `/`, `?`, `=` as `$252F`, `$253F`, `$253D`. */
function consoleEscape(s: string): string {
  return encodeURIComponent(s).replace(/%/g, '$25');
}

export function trainingJobConsoleUrl(region: string, jobName: string): string {
  return `${consoleHost(region)}/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(jobName)}`;
}

/** CloudWatch log streams of a training job live in /aws/sagemaker/TrainingJobs, named `<job>/algo-1-...`. */
export function trainingJobLogsUrl(region: string, jobName: string): string {
  const group = consoleEscape('/aws/sagemaker/TrainingJobs');
  const filter = consoleEscape(`?logStreamNameFilter=${jobName}`);
  return `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}${filter}`;
}

export function endpointConsoleUrl(region: string, endpointName: string): string {
  return `${consoleHost(region)}/sagemaker/home?region=${region}#/endpoints/${encodeURIComponent(endpointName)}`;
}
