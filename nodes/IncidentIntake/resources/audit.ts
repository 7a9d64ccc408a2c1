import { InvalidRequestError } from '../../../core/errors';
import { auditTenants, verifyAuditTrail, type AuditTrailVerification } from '../../../core/audit/verify-trail';
import { flag, shownFor, text, type OperationContext, type Resource } from './operation';

const VERIFY = ['verifyTrail'];

function expectedHead(c: OperationContext): string | undefined {
  const head = text(c, 'expectHead').toLowerCase();
  if (!head) return undefined;
  if (!/^[0-9a-f]{64}$/.test(head)) throw new InvalidRequestError('Expected Head: give the 64 hex characters of a head hash an earlier verification returned');
  return head;
}

function itemOf(result: AuditTrailVerification) {
  return { tenant: result.tenant, intact: result.broken === undefined, entries: result.entries, head: result.head ?? null, broken: result.broken ?? null };
}

/**
 * Walks the hash chain of the tenant's audit trail (or of every tenant's) and names the first broken link: an
 * edited row, a deleted or inserted one, or a head recorded earlier that is gone. One item per tenant, as
 * `incident-intake audit verify` prints; `intact: false` is a result to route, not an error.
 */
async function verify(c: OperationContext) {
  const allTenants = flag(c, 'allTenants');
  const expectHead = expectedHead(c);
  if (allTenants && expectHead) throw new InvalidRequestError('Expected Head belongs to one tenant\'s chain: turn off All Tenants to check it');
  const tenants = allTenants ? await auditTenants(c.store) : [c.tenant];
  const results: ReturnType<typeof itemOf>[] = [];
  for (const tenant of tenants) results.push(itemOf(await verifyAuditTrail(c.store, tenant, { expectHead })));
  return results;
}

export const auditResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['audit'] } },
    options: [
      {
        name: 'Verify Trail',
        value: 'verifyTrail',
        action: 'Verify the audit trail',
        description: 'Walk the audit hash chain and name the first row that was edited, deleted or inserted behind the store\'s back',
      },
    ],
    default: 'verifyTrail',
  },
  fields: [
    {
      displayName: 'All Tenants',
      name: 'allTenants',
      type: 'boolean',
      default: false,
      description: 'Whether to verify every tenant\'s trail (one item each) instead of only the Tenant below',
      displayOptions: shownFor('audit', VERIFY),
    },
    {
      displayName: 'Expected Head',
      name: 'expectHead',
      type: 'string',
      default: '',
      placeholder: '64 hex characters',
      description: 'The head hash an earlier verification returned (head.hash): the trail must still contain it, which catches entries cut off its end',
      displayOptions: { show: { resource: ['audit'], operation: VERIFY, allTenants: [false] } },
    },
  ],
  run: {
    verifyTrail: verify,
  },
};
