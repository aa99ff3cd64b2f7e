import { GatewayException } from '../errors/gateway.exception';
import { anthropicModelPage } from './anthropic-model-page';
import { ModelEntry } from './provider-model-list';

const models: ModelEntry[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
  id,
  object: 'model',
  created: 0,
  owned_by: 'x',
}));

const ids = (page: object) => (page as { data: { id: string }[] }).data.map((model) => model.id);

describe(anthropicModelPage.name, () => {
  it('pages forward with limit and after_id', () => {
    const first = anthropicModelPage(models, { limit: '2' });
    const second = anthropicModelPage(models, { limit: '2', after_id: 'b' });
    const last = anthropicModelPage(models, { limit: '2', after_id: 'd' });

    expect(first).toMatchObject({ has_more: true, first_id: 'a', last_id: 'b' });
    expect(ids(second)).toEqual(['c', 'd']);
    expect(last).toMatchObject({ has_more: false, first_id: 'e', last_id: 'e' });
  });

  it('pages backward with before_id', () => {
    expect(anthropicModelPage(models, { limit: '2', before_id: 'e' })).toMatchObject({
      has_more: true,
      first_id: 'c',
      last_id: 'd',
    });
    expect(anthropicModelPage(models, { limit: '2', before_id: 'c' })).toMatchObject({
      has_more: false,
      first_id: 'a',
    });
  });

  it('gives 20 by default, an empty page for an unknown id', () => {
    expect(ids(anthropicModelPage(models, {}))).toHaveLength(5);
    expect(ids(anthropicModelPage(models, { after_id: 'zz' }))).toEqual([]);
  });

  it('refuses a bad limit or both cursors with a 400 naming the parameter', () => {
    for (const query of [{ limit: '0' }, { limit: '1001' }, { limit: 'x' }]) {
      expect(() => anthropicModelPage(models, query)).toThrow(GatewayException);
    }
    expect(() => anthropicModelPage(models, { after_id: 'a', before_id: 'c' })).toThrow(
      /after_id or before_id/,
    );
  });
});
