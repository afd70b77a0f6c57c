/**
 * Transport errors. Messages name the endpoint by its redacted URL and a file name only; never
 * file contents, credentials or key material.
 */
export type TransportErrorCode =
  | 'CONNECT_FAILED'
  | 'HOST_KEY_REJECTED'
  | 'TIMEOUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_LARGE'
  | 'INVALID_URL'
  | 'INVALID_CONFIG'
  | 'INVALID_NAME'
  | 'IO_FAILED';

export class TransportError extends Error {
  override readonly name: string = 'TransportError';

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Delivery found a different file already under the final name; nothing was overwritten. */
export class DeliveryConflictError extends TransportError {
  override readonly name = 'DeliveryConflictError';

  constructor(
    message: string,
    readonly existingSha256: string,
    readonly attemptedSha256: string,
  ) {
    super('CONFLICT', message);
  }
}

export function isTransportError(e: unknown, code?: TransportErrorCode): e is TransportError {
  return e instanceof TransportError && (code === undefined || e.code === code);
}
