import { RoutableKey } from '../routing/tenant-routing';
import {
  earlyRouteHeaders,
  failureRouteHeaders,
  headerSafe,
  responseHeaders,
  routeComment,
} from './response-headers';

describe(headerSafe.name, () => {
  it('percent-encodes a character outside the basic plane as one UTF-8 sequence', () => {
    expect(headerSafe('x-😀')).toBe('x-%F0%9F%98%80');
    expect(decodeURIComponent(headerSafe('x-😀 a=b'))).toBe('x-😀 a=b');
  });

  it('keeps visible ASCII as it is and encodes other text', () => {
    expect(headerSafe('gpt-4o*=claude?')).toBe('gpt-4o*=claude?');
    expect(headerSafe('é\t')).toBe('%C3%A9%09');
  });

  it('never throws on a lone surrogate, writing it as U+FFFD', () => {
    expect(headerSafe('a\ud83db')).toBe('a%EF%BF%BDb');
    expect(headerSafe('\ude00')).toBe('%EF%BF%BD');
  });
});

describe('route headers', () => {
  const key = { id: 'key-1', name: 'clé 😀 \ud83d' } as RoutableKey;
  const route = {
    requestId: 'req-1',
    level: 1,
    key,
    upstreamModel: 'x-😀',
    attempts: 1,
    routeRule: 'ModelMapper x-*=x-😀',
  };

  it('encode an emoji model and rule on success, early and failure headers alike', () => {
    const headers = responseHeaders(route, {});

    expect(headers['x-xai-upstream-model']).toBe('x-%F0%9F%98%80');
    expect(headers['x-xai-route-rule']).toBe('ModelMapper x-*=x-%F0%9F%98%80');
    expect(headers['x-xai-provider-key-name']).toBe('cl%C3%A9%20%F0%9F%98%80%20%EF%BF%BD');
    expect(earlyRouteHeaders(route)['x-xai-upstream-model']).toBe('x-%F0%9F%98%80');
    expect(routeComment(route)).toContain('x-xai-route-rule=ModelMapper x-*=x-%F0%9F%98%80');
    expect(
      failureRouteHeaders({
        requestId: 'req-1',
        level: 1,
        upstreamModel: 'x-😀',
        providerKeyId: null,
        attempts: 2,
      })['x-xai-upstream-model'],
    ).toBe('x-%F0%9F%98%80');
  });
});
