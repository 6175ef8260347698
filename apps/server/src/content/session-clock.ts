/**
 * The clock reading time is measured with. Injectable so tests drive time instead of
 * sleeping; in production it is the system clock.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class SessionClock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }
}
