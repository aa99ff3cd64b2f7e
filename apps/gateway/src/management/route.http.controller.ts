import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { requireModelName } from '../routing/model-name';
import { noRouteLeft } from '../routing/route-exhaustion';
import { RoutePlanner } from '../routing/route-planner';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { RouteExplanationView, toRouteExplanationView } from './dto/route-explanation.dto';
import { parseBody } from './parse-body';

// The model is checked by the same rule as a real call's (no trimming), so both route alike.
const RouteQuerySchema = z
  .object({ model: z.string().optional(), member: z.string().uuid().optional() })
  .strict();

/**
 * `GET /x-route?model=…[&member=<member id>]` (owner only): the route a call for `model` would
 * take right now (for a member's key when `member` is given), with the rules that decide it,
 * whose rule renamed the model, and every key's state, without calling any provider and
 * without moving the round-robin rotation.
 */
@Controller('x-route')
@UseGuards(OwnerGuard)
export class RouteHttpController {
  constructor(
    private readonly routing: TenantRoutingCache,
    private readonly planner: RoutePlanner,
  ) {}

  @Get()
  async explain(
    @CurrentCaller() caller: Caller,
    @Query() query: unknown,
  ): Promise<RouteExplanationView> {
    const input = parseBody(RouteQuerySchema, { ...(query as object) });
    const model = requireModelName(input.model);
    const memberId = input.member?.toLowerCase();
    const routing = await this.routing.get(caller.tenantId);
    if (memberId !== undefined && !routing.hasMember(memberId)) {
      throw new GatewayException(GatewayErrorCode.NotFound, `Member ${memberId} not found.`, {
        param: 'member',
      });
    }
    const plan = await this.planner.explain(routing, model, { memberId });
    const blocked = plan.levels.every((level) => level.candidates.length === 0);
    const error: GatewayException | null = blocked ? noRouteLeft(plan, [], Date.now()) : null;

    return toRouteExplanationView(plan, error, memberId ?? null);
  }
}
