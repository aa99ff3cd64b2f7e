import { Member } from '@xai/contracts';
import type { JsonValue } from '@xai/events';
import { z } from 'zod';

const Name = z.string().trim().min(1).max(100);
const ModelMapperRules = z.string().max(16_384);

/** `POST /x-users`: a name, and optional ModelMapper rules tried before the owner's. */
export const CreateMemberBodySchema = z
  .object({ Name, ModelMapper: ModelMapperRules.default('') })
  .strict();

/** `PUT /x-users/:id`: the fields to change (`ModelMapper: ""` removes the member's rules). */
export const UpdateMemberBodySchema = z
  .object({ Name: Name.optional(), ModelMapper: ModelMapperRules.optional() })
  .strict();

export type CreateMemberBody = z.infer<typeof CreateMemberBodySchema>;
export type UpdateMemberBody = z.infer<typeof UpdateMemberBodySchema>;

/** A member as the management API shows it. */
export interface MemberView {
  ID: string;
  Name: string;
  ModelMapper: string;
  CreatedAt: string;
  UpdatedAt: string;
}

/** Maps config's record to the API's PascalCase view. */
export function toMemberView(member: Member): MemberView {
  return {
    ID: member.id,
    Name: member.name,
    ModelMapper: member.modelMapper,
    CreatedAt: member.createdAt,
    UpdatedAt: member.updatedAt,
  };
}

/** A member as the audit trail records it. */
export function memberState(member: Member | undefined): JsonValue | null {
  return member ? { Name: member.name, ModelMapper: member.modelMapper } : null;
}
