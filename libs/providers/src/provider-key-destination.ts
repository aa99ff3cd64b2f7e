import { isJsonObject } from './protocols/json';

/**
 * Where a provider key's secret is sent: its normalised base URL, its provider type, and the
 * settings of its `Config` that change the URL called (Azure's deployments, the API version).
 * Key-vault binds this into the key's ciphertext, so a key sealed for one destination does not
 * open for another, whoever rewrote the stored URL.
 */
export interface ProviderKeyDestination {
  baseUrl: string;
  providerType: string;
  /** `name=value` pairs, sorted, for the settings that shape the upstream URL. */
  settings: string[];
}

// Settings that are part of the URL an adapter builds (see the Azure and Gemini adapters).
const URL_SETTINGS = ['api_version', 'deployment'] as const;
const DEPLOYMENTS = 'deployments';

/**
 * The destination of a key with `baseUrl`, `providerType` and `Config` object `settings`. The
 * same inputs always give the same value: the URL is parsed and printed back (lower-case host,
 * no default port, no trailing slash, no fragment), and only string settings count.
 *
 * @throws TypeError when `baseUrl` is not a URL.
 */
export function providerKeyDestination(
  baseUrl: string,
  providerType: string,
  settings: Readonly<Record<string, unknown>> = {},
): ProviderKeyDestination {
  return {
    baseUrl: normaliseBaseUrl(baseUrl),
    providerType,
    settings: destinationSettings(settings),
  };
}

/** Whether two destinations are the same, field by field. */
export function sameDestination(a: ProviderKeyDestination, b: ProviderKeyDestination): boolean {
  return (
    a.baseUrl === b.baseUrl &&
    a.providerType === b.providerType &&
    a.settings.length === b.settings.length &&
    a.settings.every((setting, index) => setting === b.settings[index])
  );
}

function normaliseBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');

  return url.href.replace(/\/+$/, '');
}

function destinationSettings(settings: Readonly<Record<string, unknown>>): string[] {
  const pairs: string[] = [];
  for (const name of URL_SETTINGS) {
    const value = settings[name];
    if (typeof value === 'string' && value.trim() !== '') pairs.push(`${name}=${value.trim()}`);
  }
  const deployments = settings[DEPLOYMENTS];
  if (isJsonObject(deployments)) {
    for (const [model, deployment] of Object.entries(deployments)) {
      if (typeof deployment === 'string' && deployment !== '') {
        pairs.push(`${DEPLOYMENTS}.${model}=${deployment}`);
      }
    }
  }

  return pairs.sort();
}
