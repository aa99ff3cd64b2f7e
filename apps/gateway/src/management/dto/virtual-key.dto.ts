import { VirtualKey, VirtualKeyRole } from '@xai/contracts';
import { z } from 'zod';

const MAX_GRACE_SECONDS = 30 * 24 * 3600;

const ROLE_NAMES: Record<VirtualKeyRole, string> = {
  VIRTUAL_KEY_ROLE_UNSPECIFIED: 'unspecified',
  VIRTUAL_KEY_ROLE_OWNER: 'owner',
  VIRTUAL_KEY_ROLE_MEMBER: 'member',
  VIRTUAL_KEY_ROLE_RECOVERY: 'recovery',
};

/**
 * `POST /x-virtual-keys`: a name, the role (owner or member; member when left out) and, for a
 * member key, the member (`/x-users`) it is for.
 */
export const IssueVirtualKeyBodySchema = z
  .object({
    Name: z.string().trim().min(1).max(100),
    Role: z.enum(['owner', 'member']).default('member'),
    MemberID: z.string().uuid().optional(),
  })
  .strict()
  .refine((body) => body.MemberID === undefined || body.Role === 'member', {
    message: 'only a member key belongs to a member',
    path: ['MemberID'],
  });

/** `POST /x-self/rotate`: how long the old key keeps working (0, the default: not at all). */
export const RotateSelfBodySchema = z
  .object({ GracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(0) })
  .strict();

/** `POST /x-recover`: the name of the new owner key. */
export const RecoverBodySchema = z
  .object({ Name: z.string().trim().min(1).max(100).default('recovered owner') })
  .strict();

export type IssueVirtualKeyBody = z.infer<typeof IssueVirtualKeyBodySchema>;

/** A virtual key as the management API shows it: never the key, never its hash. */
export interface VirtualKeyView {
  ID: string;
  Name: string;
  Role: string;
  Hint: string;
  CreatedAt: string;
  ExpiresAt: string | null;
  /** The member the key was issued for; null for the owner's keys. */
  MemberID: string | null;
}

/** A virtual key just issued: shown with its secret this once. */
export type IssuedVirtualKeyView = VirtualKeyView & { Key: string };

/** The role of a management body as config takes it. */
export function roleOf(name: 'owner' | 'member'): VirtualKeyRole {
  return name === 'owner' ? 'VIRTUAL_KEY_ROLE_OWNER' : 'VIRTUAL_KEY_ROLE_MEMBER';
}

/** A record as the management API shows it. */
export function toVirtualKeyView(key: VirtualKey): VirtualKeyView {
  return {
    ID: key.id,
    Name: key.name,
    Role: ROLE_NAMES[key.role],
    Hint: key.hint,
    CreatedAt: key.createdAt,
    ExpiresAt: key.expiresAt ?? null,
    MemberID: key.memberId ?? null,
  };
}
