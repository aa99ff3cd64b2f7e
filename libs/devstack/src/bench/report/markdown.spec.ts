import { checkTargets, compare } from './evaluate';
import { toMarkdown } from './markdown';
import { figures } from './test/figures.fixture';

describe('toMarkdown', () => {
  it('names the machine, shows only the measured targets and says by how much a target missed', () => {
    const input = figures();
    const comparisons = compare(input);

    const markdown = toMarkdown({
      ...input,
      comparisons,
      checks: checkTargets(input, comparisons),
    });

    expect(markdown).toContain('2 × test, 1 GiB, Node v20');
    expect(markdown).toContain('| | L0 mock | L2 bare proxy | L4 router | Portkey |');
    expect(markdown).toContain('| saturation (req/s) | 8000 | 3000 | 2400 | 300 |');
    expect(markdown).toContain('**miss** by 0.5 ms (1.333× the limit)');
  });
});
