import { SecretScrubber } from '@xai/providers';
import { Dispatcher } from 'undici';

import {
  AttemptVerdict,
  answerVerdict,
  streamErrorVerdict,
  verdictNeedsBody,
} from '../health/attempt-verdict';
import { IdleLimits } from './idle-limits';
import { ProviderBody } from './provider-body';

/** The verdict on a provider's answer; `body` is set when the answer is to be relayed. */
export interface AnswerJudgement {
  verdict: AttemptVerdict;
  body?: ProviderBody;
}

/** The most of an error body read to classify it (quota or rate limit). */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The verdict on an answer, reading no more of it than that takes: the error body of a 400,
 * 403 or 429, the first event of a stream (one that opens with an error has sent the caller
 * nothing, so the next key may serve). `body` is set when the answer is to be relayed, whole,
 * what was read included, read within the `idle` limits; otherwise the answer has been let go.
 */
export async function judgeAnswer(
  response: Dispatcher.ResponseData,
  scrub: SecretScrubber,
  idle: IdleLimits,
): Promise<AnswerJudgement> {
  const { statusCode: status, headers } = response;
  const body = new ProviderBody(response.body, idle, scrub);
  if (verdictNeedsBody(status)) {
    const head = await body.head(ERROR_BODY_LIMIT);
    const verdict = answerVerdict(status, headers, Date.now(), head.text);
    if (relayable(verdict)) return { verdict, body };
    if (!head.complete) body.destroy();

    return { verdict };
  }
  const verdict = answerVerdict(status, headers, Date.now());
  if (!relayable(verdict)) {
    // Read out (a short body), so the connection can be reused.
    await response.body.dump();

    return { verdict };
  }
  const contentType = String(headers['content-type'] ?? '');
  if (status !== 200 || !contentType.includes('text/event-stream')) {
    // A whole JSON answer is read here, within the silence limits: one that stalls or breaks
    // before its end is this key's failure, and the next key can still serve the call, as the
    // caller has been sent nothing yet. (Its relay reads it whole anyway; other bodies, audio
    // for instance, are relayed as they come.)
    if (contentType.includes('json')) await body.readWhole();

    return { verdict, body };
  }
  const event = await body.firstEvent(ERROR_BODY_LIMIT);
  const streamVerdict = event && streamErrorVerdict(event);
  if (!streamVerdict || relayable(streamVerdict)) {
    return { verdict: streamVerdict ?? verdict, body };
  }
  body.destroy();

  return { verdict: streamVerdict };
}

/** Whether an answer goes to the caller: a success, or a refusal the request caused. */
function relayable(verdict: AttemptVerdict): boolean {
  return verdict.kind === 'success' || verdict.kind === 'client_error';
}
