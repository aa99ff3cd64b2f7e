import { loadConfig } from '@xai/common';
import type { FastifyInstance } from 'fastify';

import { buildMockProviderApp } from './mock-provider.app';
import { MOCK_PROVIDER_ENV } from './mock-provider.config';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };

describe(buildMockProviderApp.name, () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = buildMockProviderApp(loadConfig(MOCK_PROVIDER_ENV, {}));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves chat on a deployment to a key in api-key with an api-version', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/openai/deployments/dep-1/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': 'az-key' },
      payload: { messages: CHAT.messages },
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ object: 'chat.completion', model: 'dep-1' });
  });

  it('refuses a Bearer token, and a call without api-version, as Azure does', async () => {
    const bearer = await app.inject({
      method: 'POST',
      url: '/openai/deployments/dep-1/chat/completions?api-version=2024-10-21',
      headers: { authorization: 'Bearer az-key' },
      payload: CHAT,
    });
    const unversioned = await app.inject({
      method: 'POST',
      url: '/openai/deployments/dep-1/chat/completions',
      headers: { 'api-key': 'az-key' },
      payload: CHAT,
    });
    const v1 = await app.inject({
      method: 'POST',
      url: '/openai/v1/chat/completions',
      headers: { 'api-key': 'az-key' },
      payload: CHAT,
    });

    expect(bearer.statusCode).toBe(401);
    expect(unversioned.statusCode).toBe(404);
    expect(unversioned.json()).toMatchObject({ error: { param: 'api-version' } });
    expect(v1.statusCode).toBe(200);
  });

  it('answers batchEmbedContents with one vector per request, and refuses a stray model', async () => {
    const request = (model: string) => ({
      model,
      content: { parts: [{ text: 'alpha' }] },
      outputDimensionality: 8,
    });
    const url = '/v1beta/models/embed-x:batchEmbedContents';
    const headers = { 'x-goog-api-key': 'gm-key' };

    const good = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: { requests: [request('models/embed-x'), request('models/embed-x')] },
    });
    const stray = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: { requests: [request('models/other')] },
    });

    const { embeddings } = good.json<{ embeddings: Array<{ values: number[] }> }>();
    expect(good.statusCode).toBe(200);
    expect(Object.keys(good.json<object>())).toEqual(['embeddings']);
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0].values).toHaveLength(8);
    expect(embeddings[0].values).toEqual(embeddings[1].values);
    expect(stray.statusCode).toBe(400);
    expect(stray.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
  });

  it('keeps responses per key: GET and DELETE find them only with the key that made them', async () => {
    const headers = (key: string) => ({ authorization: `Bearer ${key}` });
    const created = await app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: headers('key-a'),
      payload: { model: 'gpt-4o', input: 'Hi' },
    });
    const id = created.json<{ id: string }>().id;

    const other = await app.inject({ url: `/v1/responses/${id}`, headers: headers('key-b') });
    const own = await app.inject({ url: `/v1/responses/${id}`, headers: headers('key-a') });
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/responses/${id}`,
      headers: headers('key-a'),
    });
    const gone = await app.inject({ url: `/v1/responses/${id}`, headers: headers('key-a') });

    expect(other.statusCode).toBe(404);
    expect(own.json()).toEqual(created.json());
    expect(deleted.json()).toEqual({ id, object: 'response.deleted', deleted: true });
    expect(gone.statusCode).toBe(404);
  });
});
