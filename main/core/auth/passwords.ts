/**
 * Password hashes: scrypt from node:crypto with a random salt per account and the cost parameters stored beside
 * the hash (so the cost can rise without breaking older hashes); compared in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHash {
  passwordHash: string;
  passwordSalt: string;
  scryptN: number;
  scryptR: number;
  scryptP: number;
}

/** About 0.1 s and 32 MiB per hash on an office PC: slow for guessing, quick enough for a sign-in. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return {
    passwordHash: key.toString('base64'),
    passwordSalt: salt.toString('base64'),
    scryptN: COST.N,
    scryptR: COST.r,
    scryptP: COST.p,
  };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.passwordHash, 'base64');
  const key = await derive(password, Buffer.from(stored.passwordSalt, 'base64'), {
    N: stored.scryptN,
    r: stored.scryptR,
    p: stored.scryptP,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The same work as a real check, for a name that has no account: the answer takes as long either way. */
let dummy: Promise<PasswordHash> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(12).toString('base64'));
  await verifyPassword(password, await dummy);
}
