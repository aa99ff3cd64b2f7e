/** Why the gateway refused or failed a call. Each maps to one HTTP status and OpenAI error type. */
export enum GatewayErrorCode {
  InvalidJson = 'invalid_json',
  InvalidRequest = 'invalid_request',
  BodyTooLarge = 'body_too_large',
  MissingApiKey = 'missing_api_key',
  InvalidApiKey = 'invalid_api_key',
  OwnerOnly = 'owner_only',
  NotFound = 'not_found',
  ModelNotRoutable = 'model_not_routable',
  NoAvailableKey = 'no_available_key',
  UpstreamRefused = 'upstream_refused',
  UpstreamUnreachable = 'upstream_unreachable',
  UpstreamError = 'upstream_error',
  KeyUnavailable = 'provider_key_unavailable',
  DependencyUnavailable = 'dependency_unavailable',
  Internal = 'internal_error',
}
