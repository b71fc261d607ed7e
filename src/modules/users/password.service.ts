import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane (about 20 ms here)
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real check, so that an unknown account answers as slowly as a known one. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('not-a-real-password-only-for-timing');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
