import { DomainException } from '@xai/common';

import { GatewayErrorCode } from './gateway-error-code';

/** The gateway's domain exception; the HTTP edge turns its code into an OpenAI-shaped error. */
export class GatewayException extends DomainException<GatewayErrorCode> {
  constructor(
    code: GatewayErrorCode,
    message: string,
    options?: { cause?: unknown; param?: string; status?: number },
  ) {
    super(code, message, options);
    this.param = options?.param;
    this.statusOverride = options?.status;
  }

  /** The request field at fault, when there is one. */
  readonly param?: string;

  /** A status that replaces the code's default (for example an upstream's own status). */
  readonly statusOverride?: number;
}
