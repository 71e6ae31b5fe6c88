// Keeps the `users` table (libs/persistence/src/user.repository.ts) filled from sign-in tokens: the person a token
// names is written when this process first sees them, again whenever their name, agency or roles change, and
// otherwise at most once per SEEN_INTERVAL_MS (so last_seen_at is that exact), never once per request, and never
// in the request's way.
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../../libs/domain/src';
import { UserRepository } from '../../../../libs/persistence/src';

export const SEEN_INTERVAL_MS = 5 * 60_000;
/** A bound on what is remembered; past it the memory starts again (each person is then written once more). */
const MAX_REMEMBERED = 10_000;

@Injectable()
export class KnownUsers {
  private readonly written = new Map<string, { fingerprint: string; at: number }>();

  constructor(private readonly users: UserRepository) {}

  /**
   * Records the person without holding up their request: a busy or unreachable database must not slow or fail a
   * request for the sake of "last seen". A failed write is forgotten, so the next request tries again.
   */
  seen(person: Principal, now = Date.now()): void {
    const fingerprint = JSON.stringify([person.displayName, person.agency, person.roles]);
    const last = this.written.get(person.userId);
    if (last && last.fingerprint === fingerprint && now - last.at < SEEN_INTERVAL_MS) return;
    if (this.written.size >= MAX_REMEMBERED) this.written.clear();
    this.written.set(person.userId, { fingerprint, at: now });
    this.users
      .seen({ userId: person.userId, displayName: person.displayName, agency: person.agency, roles: [...person.roles] })
      .catch(() => this.written.delete(person.userId));
  }
}
