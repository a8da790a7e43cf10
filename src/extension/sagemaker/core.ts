/** Lazy access to the AWS side of core: required on first use, so activation does not load the AWS SDK. */
import type * as CoreApi from './core-api';

let api: typeof CoreApi | undefined;

export function awsCore(): typeof CoreApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (api ??= require('./core-api') as typeof CoreApi);
}
