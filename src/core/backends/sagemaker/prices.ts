/**
 * Rough hourly prices of SageMaker real-time endpoint instances, to show what a running endpoint costs.
 * An ESTIMATE: approximate us-east-1 on-demand list prices in USD; other regions, savings plans and taxes differ.
 * Unknown types return undefined rather than a guess.
 */
export const PRICE_NOTE = 'estimate: approximate us-east-1 on-demand price, other regions differ';

const USD_PER_HOUR: Record<string, number> = {
  'ml.t2.medium': 0.056,
  'ml.t2.large': 0.111,
  'ml.t2.xlarge': 0.223,
  'ml.t3.medium': 0.05,
  'ml.t3.large': 0.1,
  'ml.t3.xlarge': 0.2,
  'ml.m4.xlarge': 0.24,
  'ml.m4.2xlarge': 0.48,
  'ml.m4.4xlarge': 0.96,
  'ml.m4.10xlarge': 2.4,
  'ml.m5.large': 0.115,
  'ml.m5.xlarge': 0.23,
  'ml.m5.2xlarge': 0.461,
  'ml.m5.4xlarge': 0.922,
  'ml.m5.12xlarge': 2.765,
  'ml.m5.24xlarge': 5.53,
  'ml.m6i.large': 0.115,
  'ml.m6i.xlarge': 0.23,
  'ml.m6i.2xlarge': 0.461,
  'ml.c4.large': 0.119,
  'ml.c4.xlarge': 0.239,
  'ml.c4.2xlarge': 0.477,
  'ml.c5.large': 0.102,
  'ml.c5.xlarge': 0.204,
  'ml.c5.2xlarge': 0.408,
  'ml.c5.4xlarge': 0.816,
  'ml.c5.9xlarge': 1.836,
  'ml.c6i.large': 0.102,
  'ml.c6i.xlarge': 0.204,
  'ml.r5.large': 0.151,
  'ml.r5.xlarge': 0.302,
  'ml.r5.2xlarge': 0.605,
  'ml.g4dn.xlarge': 0.736,
  'ml.g5.xlarge': 1.408,
  'ml.p3.2xlarge': 3.825,
};

/** Estimated USD per hour for `count` instances of `instanceType`, or undefined when the type is not in the table. */
export function estimateHourlyCost(instanceType: string | undefined, count = 1): number | undefined {
  const price = instanceType ? USD_PER_HOUR[instanceType] : undefined;
  return price === undefined ? undefined : Math.round(price * count * 1000) / 1000;
}

/** `~$0.23/h` (or `price unknown`), for status bars and lists. */
export function formatHourlyCost(usd: number | undefined): string {
  return usd === undefined ? 'price unknown' : `~$${usd < 10 ? usd.toFixed(2) : usd.toFixed(0)}/h`;
}

/** Status-bar text for running endpoints (`$(cloud) 2 endpoints ~$0.35/h`) and a tooltip listing them; undefined when none run. */
export function endpointCostSummary(endpoints: { status: string; hourlyCost?: number; name: string; instanceType?: string }[]): { text: string; tooltip: string } | undefined {
  const live = endpoints.filter((e) => e.status !== 'Failed' && e.status !== 'Deleting');
  if (!live.length) return undefined;
  const known = live.filter((e) => e.hourlyCost !== undefined);
  const total = known.reduce((a, e) => a + (e.hourlyCost ?? 0), 0);
  const cost = known.length ? `${formatHourlyCost(total)}${known.length < live.length ? '+' : ''}` : formatHourlyCost(undefined);
  const lines = live.map((e) => `${e.name}: ${e.status}, ${e.instanceType ?? '?'}, ${formatHourlyCost(e.hourlyCost)}`);
  return {
    text: `$(cloud) ${live.length} endpoint${live.length === 1 ? '' : 's'} ${cost}`,
    tooltip: `SecML SageMaker endpoints running (they cost money until deleted):\n${lines.join('\n')}\n\nCost is an ${PRICE_NOTE}.`,
  };
}
