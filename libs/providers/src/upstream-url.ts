import { BoundedMemo } from '@xai/common';

const VERSIONED_PATH = /\/v\d+$/;

/** URLs already built, by base URL and path: a key's calls all go to the same few. */
const built = new BoundedMemo<string>(1024);

/**
 * The full URL of an OpenAI-compatible endpoint. `path` is the API path after the version, such
 * as `/chat/completions`. A base URL whose path already ends in a version segment (`/v1`,
 * `/api/v1`, `/v2`) gets `path` appended; any other (`https://host`, `https://host/openai`)
 * gets `/v1` and then `path`. Trailing slashes on the base and a missing leading slash on
 * `path` are tolerated; a query string on the base URL is kept.
 */
export function upstreamUrl(baseUrl: string, path: string): string {
  return built.get(`${baseUrl}\n${path}`, () => buildUrl(baseUrl, path));
}

function buildUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const versionedBase = VERSIONED_PATH.test(basePath) ? basePath : `${basePath}/v1`;
  url.pathname = `${versionedBase}${path.startsWith('/') ? path : `/${path}`}`;

  return url.toString();
}
