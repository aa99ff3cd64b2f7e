/** Why the gateway refused or failed a call. Each maps to one HTTP status and OpenAI error type. */
export enum GatewayErrorCode {
  InvalidJson = 'invalid_json',
  InvalidRequest = 'invalid_request',
  BodyTooLarge = 'body_too_large',
  MissingApiKey = 'missing_api_key',
  InvalidApiKey = 'invalid_api_key',
  OwnerOnly = 'owner_only',
  NotFound = 'not_found',
  Conflict = 'conflict',
  ModelNotRoutable = 'model_not_routable',
  NoAvailableKey = 'no_available_key',
  /** Every provider key that could serve the model was refused it by its provider. */
  ModelRefused = 'model_not_found',
  UpstreamRefused = 'upstream_refused',
  UpstreamUnreachable = 'upstream_unreachable',
  UpstreamError = 'upstream_error',
  KeyUnavailable = 'provider_key_unavailable',
  DependencyUnavailable = 'dependency_unavailable',
  Internal = 'internal_error',
}
