// An answer whose status depends on the outcome (201 or 200 or 202, 200 or 204): the service decides it, the
// controller hands it to Express.
import type { Response } from 'express';

export interface Answer<T> {
  status: number;
  body?: T;
}

export async function respond<A extends Answer<unknown>>(res: Response, answer: Promise<A>): Promise<A['body']> {
  const { status, body } = await answer;
  res.status(status);
  return body;
}
