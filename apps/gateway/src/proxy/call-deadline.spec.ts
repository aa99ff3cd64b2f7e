import { EventEmitter } from 'node:events';

import type { FastifyReply } from 'fastify';

import { CallDeadline } from './call-deadline';

/** A reply whose connection is open, or already closed by the client. */
function replyOf(destroyed: boolean): { reply: FastifyReply; raw: EventEmitter } {
  const raw = Object.assign(new EventEmitter(), { destroyed, writableFinished: false });

  return { reply: { raw } as unknown as FastifyReply, raw };
}

describe(CallDeadline.name, () => {
  it('knows a client that left before the call began: nothing is called, no key is blamed', () => {
    const { reply } = replyOf(true);

    const call = new CallDeadline(reply, 60_000);

    expect(call.clientGone).toBe(true);
    expect(call.signal.aborted).toBe(true);
    expect(call.timedOut).toBe(false);
    call.dispose();
  });

  it('aborts when the client leaves during the call, not before', () => {
    const { reply, raw } = replyOf(false);
    const call = new CallDeadline(reply, 60_000);

    expect(call.signal.aborted).toBe(false);
    raw.emit('close');

    expect(call.clientGone).toBe(true);
    expect(call.signal.aborted).toBe(true);
    call.dispose();
  });

  it('aborts at the total deadline, as timed out', async () => {
    const { reply } = replyOf(false);
    const call = new CallDeadline(reply, 20);

    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(call.timedOut).toBe(true);
    expect(call.signal.aborted).toBe(true);
    call.dispose();
  });
});
