import { isStorable } from './response-key.store';

describe(isStorable.name, () => {
  it('takes the ids providers give, and refuses ids that would leave /responses/{id}', () => {
    expect(['resp_abc123', 'resp.with.dots', '...', 'a..b'].map(isStorable)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['', '.', '..', 'r'.repeat(257)].map(isStorable)).toEqual([false, false, false, false]);
  });
});
