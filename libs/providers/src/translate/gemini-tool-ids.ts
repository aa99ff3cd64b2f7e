import { generatedId } from './translation-helpers';

/*
 * Gemini's thinking models attach a `thoughtSignature` to function calls and require it back
 * with the call in the next turn. OpenAI and Anthropic callers keep nothing but the tool call
 * id, so the signature travels inside that id: `call_<random>__sig_<base64url>`. The id stays
 * within the characters Anthropic allows (letters, digits, `_`, `-`).
 */

const SIGNATURE_MARK = '__sig_';

/** A tool call id for a Gemini function call, carrying its thought signature when it has one. */
export function toolCallIdForGemini(baseId: string | null | undefined, signature?: string): string {
  const base = (baseId ? `call_${baseId}` : generatedId('call_')).replace(/[^A-Za-z0-9_-]/g, '_');
  if (!signature) return base;

  const encoded = signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  return `${base}${SIGNATURE_MARK}${encoded}`;
}

/** The thought signature carried in a tool call id, if any. */
export function thoughtSignatureOf(toolCallId: string): string | undefined {
  const at = toolCallId.indexOf(SIGNATURE_MARK);
  if (at === -1) return undefined;
  const encoded = toolCallId.slice(at + SIGNATURE_MARK.length);
  if (encoded === '') return undefined;
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');

  return base64.padEnd(Math.ceil(base64.length / 4) * 4, '=');
}
