/** The creation time every mock model reports, fixed so answers are reproducible. */
export const MODEL_CREATED = 1_700_000_000;

/** A `model` object as `GET /v1/models/:id` returns it. */
export function modelObject(id: string) {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'mock-provider' };
}

/** The `list` of models `GET /v1/models` returns. */
export function modelList(ids: readonly string[]) {
  return { object: 'list', data: ids.map(modelObject) };
}
