import { generateVirtualKey } from '@xai/crypto';

import { GatewayException } from '../errors/gateway.exception';
import { VirtualKeyAuthenticator } from './virtual-key.authenticator';

const presented = (headers: Record<string, string>) =>
  VirtualKeyAuthenticator.presentedKey(headers);

describe('VirtualKeyAuthenticator.presentedKey', () => {
  const key = generateVirtualKey();

  it('reads a Bearer key or an x-api-key', () => {
    expect(presented({ authorization: `Bearer ${key}` })).toBe(key);
    expect(presented({ 'x-api-key': ` ${key} ` })).toBe(key);
    expect(presented({})).toBeUndefined();
  });

  it('uses the well-formed virtual key when both headers are sent (as Claude Code may)', () => {
    expect(presented({ 'x-api-key': key, authorization: 'Bearer sk-ant-someone-else' })).toBe(key);
    expect(presented({ 'x-api-key': 'sk-ant-someone-else', authorization: `Bearer ${key}` })).toBe(
      key,
    );
  });

  it('keeps Bearer when neither header holds a well-formed virtual key', () => {
    const operatorKey = 'o'.repeat(40);

    expect(presented({ 'x-api-key': 'sk-other', authorization: `Bearer ${operatorKey}` })).toBe(
      operatorKey,
    );
  });

  it('refuses two different well-formed virtual keys, naming both headers', () => {
    const headers = { 'x-api-key': key, authorization: `Bearer ${generateVirtualKey()}` };

    expect(() => presented(headers)).toThrow(GatewayException);
    expect(() => presented(headers)).toThrow(/"Authorization" and in "x-api-key"/);
    expect(presented({ 'x-api-key': key, authorization: `Bearer ${key}` })).toBe(key);
  });
});
