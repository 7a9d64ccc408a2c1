import { InvalidRequestError } from '../errors';

/** Who decided and why; both are mandatory so the audit trail always says. */
export interface Decision {
  actor: string;
  reason: string;
}

export function checkDecision(decision: Decision): Decision {
  const actor = decision.actor?.trim();
  const reason = decision.reason?.trim();
  if (!actor) throw new InvalidRequestError('an actor is required to promote or reject');
  if (!reason) throw new InvalidRequestError('a reason is required to promote or reject');
  return { actor: actor.slice(0, 200), reason: reason.slice(0, 2000) };
}
