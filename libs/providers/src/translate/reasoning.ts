/*
 * Reasoning settings across protocols. OpenAI asks for an effort level, Anthropic and Gemini
 * for a thinking budget in tokens. The table follows the budgets Google documents for its own
 * OpenAI-compatible endpoint, so the same effort costs about the same everywhere.
 */

/** The OpenAI efforts that turn thinking on. */
export type ThinkingEffort = 'low' | 'medium' | 'high' | 'xhigh';

/** Thinking budget (tokens) per OpenAI `reasoning_effort`. */
export const THINKING_BUDGET: Readonly<Record<ThinkingEffort, number>> = {
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

/** The smallest thinking budget Anthropic accepts. */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1024;

/** Whether an OpenAI `reasoning_effort` asks for thinking (`none` and `minimal` do not). */
export function isThinkingEffort(effort: string | null | undefined): effort is ThinkingEffort {
  return effort === 'low' || effort === 'medium' || effort === 'high' || effort === 'xhigh';
}

/** The OpenAI effort closest to a thinking budget. */
export function effortForBudget(budget: number): ThinkingEffort {
  if (budget <= 2 * THINKING_BUDGET.low) return 'low';
  if (budget <= (THINKING_BUDGET.medium + THINKING_BUDGET.high) / 2) return 'medium';

  return 'high';
}
