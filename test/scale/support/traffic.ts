import type { RetryMode, SignedRequest } from './alert-stream';
import { isSuccess, type Exchange, type Sender } from './sender';

/** One request of the stream and every copy of it that was sent. */
export interface Sent {
  request: SignedRequest;
  /** One exchange per copy (a transport retry sends a second copy, to another worker). */
  exchanges: Exchange[];
}

/** The requests sent so far, each with its copies' answers. */
export class Traffic {
  readonly sent: Sent[] = [];

  constructor(readonly sender: Sender) {}

  /** Sends a request to the next worker, plus a transport retry of it to another worker if asked. */
  async send(request: SignedRequest, retry: RetryMode = 'none'): Promise<Sent> {
    const target = this.sender.pick();
    const copies =
      retry === 'concurrent' ? await Promise.all([this.sender.send(request, target), this.sender.send(request, target + 1)]) : [await this.sender.send(request, target)];
    if (retry === 'after-answer') copies.push(await this.sender.send(request, target + 2));
    const entry = { request, exchanges: copies };
    this.sent.push(entry);
    return entry;
  }

  /** The final answer of every copy. */
  answers() {
    return this.sent.flatMap((entry) => entry.exchanges.map((copy) => copy.at(-1)!));
  }

  /** Requests at least one copy of which was answered 2xx. */
  accepted(): Sent[] {
    return this.sent.filter((entry) => entry.exchanges.some((copy) => isSuccess(copy.at(-1))));
  }
}

export function allAnswered(entry: Sent): boolean {
  return entry.exchanges.every((copy) => isSuccess(copy.at(-1)));
}
