import { promoteEvent } from '../../../core/review/promote-event';
import { rejectEvent } from '../../../core/review/reject-event';
import { getEvent, listReviewQueue } from '../../../core/review/review-queue';
import { submitFields, submitItem } from './event-submit';
import { actorField, number, shownFor, text, type Resource } from './operation';

const decision = ['promote', 'reject'];

export const eventResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['event'] } },
    options: [
      { name: 'Get', value: 'get', action: 'Get an event', description: 'Get an event with its audit trail' },
      { name: 'List Review Queue', value: 'listReviewQueue', action: 'List events awaiting review' },
      { name: 'Promote', value: 'promote', action: 'Promote an event to an incident' },
      { name: 'Reject', value: 'reject', action: 'Reject an event' },
      { name: 'Submit', value: 'submit', action: 'Submit an event through the intake pipeline', description: 'Take each item (from MQTT, a poller, any trigger) in as the HTTP intake would' },
    ],
    default: 'listReviewQueue',
  },
  fields: [
    {
      displayName: 'Event ID',
      name: 'eventId',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'evt_…',
      displayOptions: shownFor('event', ['get', ...decision]),
    },
    actorField('event', decision),
    {
      displayName: 'Reason',
      name: 'reason',
      type: 'string',
      default: '',
      required: true,
      description: 'Why; kept in the audit trail',
      displayOptions: shownFor('event', decision),
    },
    {
      displayName: 'Source ID',
      name: 'sourceId',
      type: 'string',
      default: '',
      description: 'Only events of this source. Empty: all sources.',
      displayOptions: shownFor('event', ['listReviewQueue']),
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: shownFor('event', ['listReviewQueue']),
    },
    ...submitFields,
  ],
  run: {
    get: (c) => getEvent(c.store, c.tenant, text(c, 'eventId')),
    listReviewQueue: (c) => listReviewQueue(c.store, c.tenant, { ...(text(c, 'sourceId') && { sourceId: text(c, 'sourceId') }), limit: number(c, 'limit', 50) }),
    promote: async (c) => {
      const result = await promoteEvent(c.store, c.tenant, text(c, 'eventId'), { actor: text(c, 'actor'), reason: text(c, 'reason') }, undefined, { deliverTo: c.deliverTo });
      return { change: result.change, ...result.incident, event: result.event };
    },
    submit: submitItem,
    reject: (c) => rejectEvent(c.store, c.tenant, text(c, 'eventId'), { actor: text(c, 'actor'), reason: text(c, 'reason') }),
  },
};
