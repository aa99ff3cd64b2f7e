import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AuditEmitter } from '../audit/audit-emitter';
import { RequestTrace } from '../audit/request-trace';
import { Caller } from '../auth/caller';
import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { RoutePlan, RoutePlanner } from '../routing/route-planner';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';

/**
 * The steps every proxied call takes before any provider key is used (DESIGN.md section 4):
 * authenticate the virtual key, plan the route of the requested model, and make sure the call
 * can be audited. Each step records what it learnt on the request's trace.
 */
@Injectable()
export class CallAdmission {
  constructor(
    private readonly authenticator: VirtualKeyAuthenticator,
    private readonly routing: TenantRoutingCache,
    private readonly planner: RoutePlanner,
    private readonly audit: AuditEmitter,
  ) {}

  /** The caller behind the request's virtual key; throws a 401 without a valid one. */
  async authenticate(request: FastifyRequest, trace: RequestTrace): Promise<Caller> {
    trace.caller = await this.authenticator.authenticate(
      VirtualKeyAuthenticator.presentedKey(request.headers),
    );
    trace.memberId = trace.caller.memberId ?? null;

    return trace.caller;
  }

  /** The route of `model` for the authenticated caller of `trace`. */
  async plan(trace: RequestTrace, caller: Caller, model: string): Promise<RoutePlan> {
    trace.requestedModel = model;
    const routing = await this.routing.get(caller.tenantId);
    const plan = await this.planner.plan(routing, model, caller);
    trace.level = plan.level;
    trace.upstreamModel = plan.upstreamModel;
    this.audit.assertCanRecord();

    return plan;
  }

  /**
   * The route of a call that must use the provider key `providerKeyId`, because that key's
   * provider holds the state the call is about (a stored response); `model` null when the call
   * names none. Null when the caller's tenant has no such key (any more).
   */
  async planOnKey(
    trace: RequestTrace,
    caller: Caller,
    providerKeyId: string,
    model: string | null,
  ): Promise<RoutePlan | null> {
    trace.requestedModel = model;
    const routing = await this.routing.get(caller.tenantId);
    const key = routing.allKeys().find((each) => each.id === providerKeyId);
    if (!key) return null;
    const plan = await this.planner.planOn(routing, key, model, caller);
    trace.level = plan.level;
    trace.upstreamModel = model === null ? null : plan.upstreamModel;
    this.audit.assertCanRecord();

    return plan;
  }
}
