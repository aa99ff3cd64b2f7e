import { loadPgliteServerConfig } from './pglite-server.config';

const BASE = { PGLITE_DATA_DIR: '/tmp/pglite' };

describe(loadPgliteServerConfig.name, () => {
  it.each(['0', '-1'])('refuses %s client connections, naming the variable', (count) => {
    expect(() => loadPgliteServerConfig({ ...BASE, PGLITE_MAX_CONNECTIONS: count })).toThrow(
      /PGLITE_MAX_CONNECTIONS/,
    );
  });

  it('refuses a negative parent process id, naming the variable', () => {
    expect(() => loadPgliteServerConfig({ ...BASE, PGLITE_PARENT_PID: '-1' })).toThrow(
      /PGLITE_PARENT_PID/,
    );
  });

  it('reads a parent process id of 0 as the parent at start', () => {
    expect(loadPgliteServerConfig(BASE).PGLITE_PARENT_PID).toBe(0);
  });
});
