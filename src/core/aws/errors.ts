/** AWS SDK errors -> SecmlError with a code a UI can act on (AWS_AUTH offers "Configure AWS"). Never includes secrets. */
import { SecmlError, isSecmlError } from '../errors';

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const AUTH = new Set([
  ...EXPIRED,
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'CredentialsProviderError',
  'AccessDenied',
  'AccessDeniedException',
  'NotAuthorized',
  'UnauthorizedOperation',
]);
const THROTTLE = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException']);
const NOT_FOUND = new Set(['ResourceNotFound', 'ResourceNotFoundException', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchEntity']);

/** SageMaker reports a missing job, endpoint or model as a ValidationException "Could not find ...". */
function isValidationNotFound(name: string, msg: string): boolean {
  return name === 'ValidationException' && /^Could not find /i.test(msg);
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
}

export function awsErrorName(e: unknown): string {
  const err = e as SdkError | null;
  return (err?.name && err.name !== 'Error' ? err.name : err?.Code) ?? 'Error';
}

export function isExpiredCredentials(e: unknown): boolean {
  const name = awsErrorName(e);
  return EXPIRED.has(name) || /expired/i.test((e as SdkError | null)?.message ?? '') && AUTH.has(name);
}

export function isThrottling(e: unknown): boolean {
  const err = e as SdkError | null;
  return THROTTLE.has(awsErrorName(e)) || Boolean(err?.$retryable?.throttling) || err?.$metadata?.httpStatusCode === 429;
}

/** Converts any SDK error into a SecmlError whose message names the action and keeps the service's message. */
export function toSecmlError(e: unknown, action: string): SecmlError {
  if (isSecmlError(e)) return e;
  const err = e as SdkError | null;
  const name = awsErrorName(e);
  const msg = (err?.message ?? String(e)).trim();
  const requestId = err?.$metadata?.requestId;
  const details = { awsError: name, httpStatus: err?.$metadata?.httpStatusCode, requestId };
  if (name === 'AbortError') return new SecmlError('CANCELLED', 'Cancelled.', { cause: e });
  if (/Region is missing/i.test(msg)) {
    return new SecmlError('BAD_ARGUMENT', `${action}: no AWS region is set. Choose one with "SecML: Configure AWS" (setting secml.aws.region) or set AWS_REGION.`, { cause: e, details });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(msg)) {
    return new SecmlError('AWS_AUTH', `${action}: no AWS credentials were found (${msg}). Run "SecML: Configure AWS" to pick a profile, or sign in (aws sso login).`, { cause: e, details });
  }
  if (EXPIRED.has(name)) return new SecmlError('AWS_AUTH', `${action}: your AWS credentials have expired (${name}). Sign in again (e.g. aws sso login) or pick another profile with "SecML: Configure AWS".`, { cause: e, details });
  if (AUTH.has(name)) return new SecmlError('AWS_AUTH', `${action}: AWS denied the request (${name}: ${msg}).`, { cause: e, details });
  if (isThrottling(e)) return new SecmlError('AWS', `${action}: AWS is throttling requests (${name}); retried with backoff and gave up. Try again in a minute or lower the concurrency.`, { cause: e, details: { ...details, throttled: true } });
  if (NOT_FOUND.has(name) || err?.$metadata?.httpStatusCode === 404 || isValidationNotFound(name, msg)) return new SecmlError('NOT_FOUND', `${action}: ${msg || name}`, { cause: e, details });
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/i.test(msg + name)) {
    return new SecmlError('AWS', `${action}: cannot reach AWS (${msg}). Check the network, the region and the endpoint URL setting (secml.aws.endpointUrl).`, { cause: e, details: { ...details, network: true } });
  }
  if (name === 'SyntaxError' && /Deserialization error|<!doctype|<html/i.test(msg)) {
    // A non-AWS answer (an HTML error page): a proxy, or an emulator that does not implement this operation.
    return new SecmlError('AWS', `${action}: the endpoint did not answer like AWS (HTTP ${details.httpStatus ?? '?'}, not an AWS response). If secml.aws.endpointUrl points at an emulator, it may not implement this operation.`, { cause: e, details: { ...details, notAws: true } });
  }
  return new SecmlError('AWS', `${action}: ${name}: ${msg}`, { cause: e, details });
}
