/** Why the providers lib refused something; carried as `code` by its exceptions. */
export enum ProvidersErrorCode {
  /** An upstream sent an SSE line longer than the parser's cap. */
  SseLineTooLong = 'SSE_LINE_TOO_LONG',
  /** A provider URL is malformed, not http(s), carries credentials, or reaches a forbidden address. */
  UpstreamRefused = 'UPSTREAM_REFUSED',
  /** A request cannot be carried to the provider's protocol without changing what it asks. */
  TranslationRefused = 'TRANSLATION_REFUSED',
  /** A provider answered in a shape its protocol does not allow, so it cannot be translated. */
  UpstreamResponseMalformed = 'UPSTREAM_RESPONSE_MALFORMED',
}
