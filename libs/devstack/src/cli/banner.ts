import { relative } from 'node:path';

import type { RunningStack } from '../stack/stack.types';

/** How the banner names each service, in the order it lists them. */
const LABELS: Array<[string, string]> = [
  ['gateway', 'gateway'],
  ['config', 'config'],
  ['key-vault', 'key-vault'],
  ['audit-log', 'audit-log'],
  ['mock-provider', 'mock provider (for trying it out)'],
];

/** `url` with its password, if any, replaced by `***`. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';

    return parsed.toString();
  } catch {
    return url;
  }
}

/** A path shown relative to `cwd` when it lies below it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);

  return rel && !rel.startsWith('..') ? rel : path;
}

/** One line per service: name, address, pid and state. */
export function serviceLines(stack: RunningStack): string[] {
  const rank = (name: string): number => {
    const index = LABELS.findIndex(([key]) => name === key || name.startsWith(`${key}-`));

    return index === -1 ? LABELS.length : index;
  };
  const names = Object.keys(stack.services).sort((a, b) => rank(a) - rank(b));
  const labelled = names.map((name) => {
    const label = LABELS.find(([key]) => key === name)?.[1] ?? name;

    return { name, label };
  });
  const width = Math.max(...labelled.map(({ label }) => label.length));

  return labelled.map(({ name, label }) => {
    const service = stack.services[name];
    const grpc = service.grpcUrl ? `  gRPC ${service.grpcUrl}` : '';

    return `  ${label.padEnd(width)}  ${service.httpUrl}${grpc}  pid ${service.pid() ?? '-'}  ${service.state()}`;
  });
}

function infrastructureLines(stack: RunningStack, cwd: string): string[] {
  const data = displayPath(stack.dataDir, cwd);
  const database = stack.embedded.database
    ? `embedded PostgreSQL (PGlite), one per service, data in ${data}/pg/`
    : maskUrl(stack.databaseUrls.config);
  const redis = stack.embedded.redis
    ? `${stack.redisUrl} (redis-server started here, data in ${data}/redis/)`
    : maskUrl(stack.redisUrl);

  return [`  database  ${database}`, `  redis     ${redis}`];
}

function ownerKeyLines(stack: RunningStack, cwd: string): string[] {
  const file = stack.ownerKeyFile ? displayPath(stack.ownerKeyFile, cwd) : undefined;
  if (stack.ownerKeyCreated) {
    return [
      'Owner key (shown this once; keep it secret):',
      `  ${stack.ownerKey}`,
      ...(file ? [`  (also kept, readable by you only, in ${file})`] : []),
    ];
  }

  return [`Owner key: in ${file ?? 'the XAI_BOOTSTRAP_OWNER_KEY you supplied'}`];
}

/** Secrets shown once (the first recovery code): on the terminal only, never in a log. */
function shownOnceLines(stack: RunningStack): string[] {
  return stack.shownOnce.flatMap(({ what, secret }) => [
    `Your ${what}, shown this once (in no log); store it now:`,
    `  ${secret}`,
    '',
  ]);
}

function exampleLines(stack: RunningStack, cwd: string): string[] {
  const keyFile = stack.ownerKeyFile ? displayPath(stack.ownerKeyFile, cwd) : undefined;
  const key = keyFile ? `$(cat ${keyFile})` : '<owner key>';
  const provider = stack.mockProviderUrl ?? 'https://api.openai.com';
  const headers = `-H "Authorization: Bearer ${key}" -H 'Content-Type: application/json'`;
  const providerKey = JSON.stringify({
    SecretKey: stack.mockProviderUrl ? 'sk-mock-demo' : 'sk-your-openai-key',
    Name: 'demo',
    Level: 1,
    Provider: provider,
    Status: true,
  });
  const chat = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}';

  return [
    `Try it${stack.mockProviderUrl ? ' (the mock provider answers offline)' : ''}: add a provider key, then call it`,
    `  curl -s ${stack.gatewayUrl}/x-keys ${headers} -d '${providerKey}'`,
    `  curl -s ${stack.gatewayUrl}/v1/chat/completions ${headers} -d '${chat}'`,
  ];
}

/** The text `npm start` prints once everything is ready. */
export function formatBanner(stack: RunningStack, cwd: string): string {
  const logs = displayPath(`${stack.dataDir}/logs`, cwd);

  return [
    '',
    `XAI Router is running: ${stack.gatewayUrl}`,
    '',
    ...serviceLines(stack),
    '',
    ...infrastructureLines(stack, cwd),
    '',
    ...ownerKeyLines(stack, cwd),
    '',
    ...shownOnceLines(stack),
    ...exampleLines(stack, cwd),
    '',
    `Logs: ${logs}/ (add --logs to see them here).  Stop: Ctrl-C`,
    '',
  ].join('\n');
}
