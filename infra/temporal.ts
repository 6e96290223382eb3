import fs from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

/** Connection options shared by the client (API) and the worker: local dev server, a cluster with mTLS, or Temporal Cloud with an API key. */
export function temporalConnectionOptions(config: Config): ConnectionOptions & NativeConnectionOptions {
  const mtls =
    config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
      ? {
          clientCertPair: {
            crt: fs.readFileSync(config.TEMPORAL_TLS_CERT_PATH),
            key: fs.readFileSync(config.TEMPORAL_TLS_KEY_PATH),
          },
        }
      : undefined;
  return {
    address: config.TEMPORAL_ADDRESS,
    tls: mtls ?? (config.TEMPORAL_API_KEY ? true : undefined),
    apiKey: config.TEMPORAL_API_KEY,
    metadata: config.TEMPORAL_API_KEY ? { 'temporal-namespace': config.TEMPORAL_NAMESPACE } : undefined,
  };
}
