import { NodeOperationError, type INode } from 'n8n-workflow';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors';
import { SourceDefinitionError } from '../../core/intake/define-source';
import { MappingConfigError } from '../../core/mapping/validate-mapping-config';
import { DestinationVaultError } from '../../core/delivery/destination-vault';
import { redactText } from '../../core/delivery/redact';

/** Core errors whose messages are written for the user as they are. */
const USER_ERRORS = [NotFoundError, ConflictError, InvalidRequestError, SourceDefinitionError, MappingConfigError, DestinationVaultError];

/**
 * Wraps an error for n8n's UI. Messages pass through redaction of every secret the node holds, since
 * driver or HTTP errors can echo connection strings or headers.
 */
export function nodeError(node: INode, error: unknown, secrets: readonly string[], itemIndex?: number): NodeOperationError {
  const message = error instanceof Error ? error.message : String(error);
  const known = USER_ERRORS.some((type) => error instanceof type);
  return new NodeOperationError(node, redactText(message, secrets), {
    itemIndex,
    ...(known ? {} : { description: 'The intake core failed unexpectedly; details are in the n8n log without secrets.' }),
  });
}
