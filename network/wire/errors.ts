/**
 * Every error the coordinator answers with: a stable code, the HTTP status it
 * travels with, and (at the place the cause is known) a sentence a person or
 * program can act on. The body is always `{"error": {"code", "message"}}`.
 */
import { IdlehiveError } from '../../agent/errors.ts';

export const NETWORK_ERROR_STATUS = {
  // Request shape
  invalid_request: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  body_too_large: 413,
  route_not_found: 404,
  method_not_allowed: 405,
  // Authentication (see ARCHITECTURE.md, "The network protocol")
  auth_missing: 401,
  auth_malformed: 401,
  session_unknown: 401,
  session_expired: 401,
  session_account_mismatch: 401,
  session_role_mismatch: 403,
  timestamp_out_of_range: 401,
  timestamp_before_restart: 401,
  nonce_reused: 401,
  nonce_window_full: 429,
  signature_invalid: 401,
  delegation_invalid: 401,
  delegation_expired: 401,
  delegation_wrong_network: 401,
  delegation_too_long: 400,
  // Blobs
  blob_hash_mismatch: 400,
  blob_too_large: 413,
  blob_not_found: 404,
  blobs_missing: 409,
  // Jobs
  job_invalid: 422,
  model_rejected: 422,
  offer_too_low: 422,
  calibration_not_allowed: 403,
  flops_unknown: 422,
  job_not_found: 404,
  result_not_ready: 409,
  client_request_conflict: 409,
  // Providers and leases
  provider_suspended: 403,
  provider_unknown: 403,
  lease_not_found: 404,
  lease_expired: 410,
  lease_closed: 409,
  result_invalid: 422,
  result_conflict: 409,
  // Money
  voucher_unavailable: 503,
  relay_unavailable: 503,
  relay_wrong_vault: 422,
  relay_fee_above_max: 422,
  relay_fee_too_low: 422,
  relay_deadline_passed: 422,
  relay_refused: 422,
  relay_chain_unreachable: 503,
  // Server
  coordinator_busy: 503,
  /** Client side only: no answer came back (connection refused or broken). */
  coordinator_unreachable: 503,
  internal_error: 500,
} as const;

export type NetworkErrorCode = keyof typeof NETWORK_ERROR_STATUS;

export class NetworkError extends IdlehiveError {
  override readonly code: NetworkErrorCode;
  readonly status: number;

  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'NetworkError';
    this.code = code;
    this.status = NETWORK_ERROR_STATUS[code];
  }
}

export function isNetworkError(value: unknown): value is NetworkError {
  return value instanceof NetworkError;
}

export function isNetworkErrorCode(value: string): value is NetworkErrorCode {
  return Object.hasOwn(NETWORK_ERROR_STATUS, value);
}
