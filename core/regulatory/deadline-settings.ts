import { InvalidRequestError } from '../errors';
import { DORA_ENTITY_KINDS, type DeadlineOptions, type DoraEntityKind } from './deadlines';

/** A tenant's reporting obligations as a host's settings hold them: flags, an entity kind, holidays as text. */
export interface DeadlineSettings {
  trustServiceProvider?: boolean;
  doraWeekendRelief?: boolean;
  doraEntity?: string;
  /** `YYYY-MM-DD` dates separated by commas or spaces. */
  holidays?: string;
}

/** Reads host settings into {@link DeadlineOptions}; a holiday or entity kind it cannot read is refused, not dropped. */
export function deadlineOptionsFrom(settings: DeadlineSettings): DeadlineOptions {
  const holidays = (settings.holidays ?? '').split(/[\s,]+/).filter(Boolean);
  const bad = holidays.find((day) => !/^\d{4}-\d{2}-\d{2}$/.test(day));
  if (bad) throw new InvalidRequestError(`Holidays: "${bad.slice(0, 20)}" is not a YYYY-MM-DD date`);
  const entity = settings.doraEntity || 'other';
  if (!(DORA_ENTITY_KINDS as readonly string[]).includes(entity)) throw new InvalidRequestError(`DORA entity: "${entity.slice(0, 40)}" is not one of ${DORA_ENTITY_KINDS.join(', ')}`);
  return { trustServiceProvider: settings.trustServiceProvider === true, doraWeekendRelief: settings.doraWeekendRelief === true, doraEntity: entity as DoraEntityKind, holidays };
}
