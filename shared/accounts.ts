/**
 * Accounts and roles (issue 11 item 1): who may do what. Each operation of the contract declares the least role
 * that may call it (shared/api.ts); the core's dispatcher checks it on every call.
 */
import { z } from 'zod';
import { id, oneOf, requiredText } from './schemas.ts';

/** 管理员: settings, parameters, accounts, unlocking a paid month, restore. 经办人: all data work. 查看: read only. */
export const ROLES = ['管理员', '经办人', '查看'] as const;
export type Role = (typeof ROLES)[number];

/** Each role may do what the roles below it may: 查看 < 经办人 < 管理员. */
const RANK: Record<Role, number> = { 查看: 0, 经办人: 1, 管理员: 2 };
export const roleAllows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];

/** Password attempts before an account is locked, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 10;
export const MIN_PASSWORD_LENGTH = 8;

/** An account name: no spaces or control characters (it is typed at every sign-in and named in the audit log). */
export const accountName = requiredText(32).refine((v) => !/[\s\p{C}]/u.test(v), {
  error: '不能包含空格或控制字符',
});
/** A new password: long enough, never trimmed (what is typed is what is hashed). */
export const newPassword = z
  .string({ error: '不能为空' })
  .min(MIN_PASSWORD_LENGTH, { error: `至少${MIN_PASSWORD_LENGTH}位` })
  .max(128, { error: '不能超过128位' });
/** A password given to sign in: checked against the stored hash only, whatever its length. */
const givenPassword = z.string({ error: '不能为空' }).min(1, { error: '不能为空' }).max(1024, { error: '过长' });
const role = oneOf(ROLES, '角色');

export const LoginInput = z.object({ user: accountName, password: givenPassword });
/** The first account of a ledger: always a 管理员. */
export const FirstAccountInput = z.object({ user: accountName, password: newPassword });
export const AccountCreate = z.object({ user: accountName, role, password: newPassword });
export const AccountUpdate = z.object({
  id,
  role: role.optional(),
  /** Disabled accounts cannot sign in; enabling clears the date. */
  disabled: z.boolean().optional(),
  /** Clears failed attempts and a lockout. */
  unlock: z.literal(true).optional(),
  /** A new password set by a 管理员 (the user forgot theirs). */
  password: newPassword.optional(),
});
export const PasswordChange = z.object({ oldPassword: givenPassword, newPassword });

export interface AccountInfo {
  id: number;
  user: string;
  role: Role;
  failedAttempts: number;
  /** ISO time until which sign-in is refused after too many wrong passwords, else null. */
  lockedUntil: string | null;
  disabledAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface SessionInfo {
  user: string;
  role: Role;
  /** Locked after idling: the same account (or another) signs in again with its password. */
  locked: boolean;
}

/** Demo townships only: the accounts and passwords shown on the login screen. */
export interface DemoAccount {
  user: string;
  role: Role;
  password: string;
}

export interface AuthStatus {
  /** False on a ledger without accounts: the app asks for the first 管理员. */
  accounts: boolean;
  session: SessionInfo | null;
  /** Minutes of inactivity after which a session locks (parameter sessionIdleMinutes). */
  idleMinutes: number;
  demoAccounts: DemoAccount[] | null;
}
