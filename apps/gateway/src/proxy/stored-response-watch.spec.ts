import { ResponsesStreamUsage } from '@xai/providers';

import { readUsage } from '../audit/usage-details';
import { StoredResponseWatch } from './stored-response-watch';

describe(StoredResponseWatch.name, () => {
  const created = (response: object) => ({
    event: 'response.created',
    data: JSON.stringify({ type: 'response.created', sequence_number: 0, response }),
  });

  it('reports the id of a whole answer once, unless it was made with store: false', () => {
    const reported: string[] = [];
    const watch = new StoredResponseWatch((id) => reported.push(id));
    const unstored = new StoredResponseWatch((id) => reported.push(`unstored ${id}`));

    watch.fromBody({ id: 'resp_1', object: 'response', store: true });
    watch.fromBody({ id: 'resp_2', object: 'response' });
    unstored.fromBody({ id: 'resp_3', object: 'response', store: false });

    expect(reported).toEqual(['resp_1']);
  });

  it('reports the id a stream opens with, and still reads the usage at its end', () => {
    const reported: string[] = [];
    const reader = new StoredResponseWatch((id) => reported.push(id)).watching(
      new ResponsesStreamUsage(readUsage),
    );
    const usage = { input_tokens: 3, output_tokens: 4, total_tokens: 7 };

    reader.observe(created({ id: 'resp_9', store: true }));
    reader.observe({
      event: 'response.completed',
      data: JSON.stringify({ type: 'response.completed', response: { id: 'resp_9', usage } }),
    });

    expect(reported).toEqual(['resp_9']);
    expect(reader.usage).toMatchObject({ promptTokens: 3, completionTokens: 4 });
  });
});
