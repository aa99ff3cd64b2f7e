import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';

import { Caller } from '../auth/caller';
import { CurrentCaller, OwnerGuard } from '../auth/owner.guard';
import { GatewayException } from '../errors/gateway.exception';
import { noRouteLeft } from '../routing/route-exhaustion';
import { RoutePlanner } from '../routing/route-planner';
import { TenantRoutingCache } from '../routing/tenant-routing.cache';
import { RouteExplanationView, toRouteExplanationView } from './dto/route-explanation.dto';
import { parseBody } from './parse-body';

const RouteQuerySchema = z.object({ model: z.string().trim().min(1).max(512) }).strict();

/**
 * `GET /x-route?model=…` (owner only): the route a call for `model` would take right now, with
 * the rules that decide it and every key's state, without calling any provider and without
 * moving the round-robin rotation.
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
    const { model } = parseBody(RouteQuerySchema, { ...(query as object) });
    const plan = await this.planner.explain(await this.routing.get(caller.tenantId), model);
    const blocked = plan.levels.every((level) => level.candidates.length === 0);
    const error: GatewayException | null = blocked ? noRouteLeft(plan, [], Date.now()) : null;

    return toRouteExplanationView(plan, error);
  }
}
