import { ConfigValidationException, ReadinessRegistry } from '@xai/common';

import { loadGatewayConfig } from '../gateway.config';
import { ServiceClients } from './service-clients';

const BASE = { XAI_VIRTUAL_KEY_PEPPER: 'p'.repeat(48) };

function clientsWith(env: Record<string, string>): ServiceClients {
  return new ServiceClients(loadGatewayConfig({ ...BASE, ...env }), new ReadinessRegistry());
}

describe(ServiceClients.name, () => {
  it('refuses to start without the service token the backends ask for, naming it', () => {
    expect(() => clientsWith({})).toThrow(
      new ConfigValidationException([
        'XAI_SERVICE_TOKEN_GATEWAY: required (or XAI_DEV_ALLOW_ANY_CALLER=true in development)',
      ]),
    );
  });

  it.each([
    ['with the service token', { XAI_SERVICE_TOKEN_GATEWAY: 't'.repeat(48) }],
    ['without one when development mode lets any caller in', { XAI_DEV_ALLOW_ANY_CALLER: 'true' }],
  ])('starts %s', (_case, env) => {
    const clients = clientsWith(env);

    expect(clients.config).toBeDefined();
    clients.onModuleDestroy();
  });
});
