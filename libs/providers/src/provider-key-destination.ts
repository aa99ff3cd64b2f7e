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
  /**
   * The settings that shape the upstream URL, sorted by name then value. Name and value stay
   * apart (key-vault binds each as a field of its own), so no two configs read alike.
   */
  settings: DestinationSetting[];
}

/** One URL-shaping setting: `api_version`, `deployment` or `deployments.<model>`. */
export interface DestinationSetting {
  name: string;
  value: string;
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
    a.settings.every(
      ({ name, value }, index) =>
        name === b.settings[index].name && value === b.settings[index].value,
    )
  );
}

function normaliseBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');

  return url.href.replace(/\/+$/, '');
}

function destinationSettings(settings: Readonly<Record<string, unknown>>): DestinationSetting[] {
  const pairs: DestinationSetting[] = [];
  for (const name of URL_SETTINGS) {
    const value = settings[name];
    if (typeof value === 'string' && value.trim() !== '') pairs.push({ name, value: value.trim() });
  }
  const deployments = settings[DEPLOYMENTS];
  if (isJsonObject(deployments)) {
    for (const [model, deployment] of Object.entries(deployments)) {
      if (typeof deployment === 'string' && deployment !== '') {
        pairs.push({ name: `${DEPLOYMENTS}.${model}`, value: deployment });
      }
    }
  }

  return pairs.sort((a, b) => compare(a.name, b.name) || compare(a.value, b.value));
}

// By UTF-16 code units, like `Array.prototype.sort`, so the order never depends on a locale.
function compare(a: string, b: string): number {
  if (a === b) return 0;

  return a < b ? -1 : 1;
}
