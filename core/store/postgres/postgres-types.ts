import { types as defaultTypes, type CustomTypesConfig } from 'pg';

const INT8_OID = 20;

/**
 * Result parsing for this store's pools only (the driver's global parsers stay untouched for other users
 * of `pg` in the same process). BIGINT columns (epoch-ms times, BIGSERIAL, COUNT(*)) arrive as JS numbers,
 * as they do from SQLite; every value the store keeps is far below 2^53. BYTEA keeps the driver's Buffer.
 */
export const storeTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return defaultTypes.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};
