import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { requireModelName } from './model-name';

describe(requireModelName.name, () => {
  it('takes any valid Unicode name as given, emoji included', () => {
    expect(requireModelName('x-😀')).toBe('x-😀');
    expect(requireModelName('modèle-中文')).toBe('modèle-中文');
  });

  it('refuses a lone surrogate as an invalid request naming the model parameter', () => {
    for (const name of ['x-\ud83d', 'x-\ude00', '\ude00\ud83d']) {
      const refusal = catchRefusal(() => requireModelName(name));

      expect(refusal.code).toBe(GatewayErrorCode.InvalidRequest);
      expect(refusal.param).toBe('model');
      expect(refusal.message).toMatch(/lone surrogate/);
    }
  });
});

function catchRefusal(act: () => unknown): GatewayException {
  try {
    act();
  } catch (error) {
    if (error instanceof GatewayException) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
