import { describe, expect, it } from 'vitest';
import { anyEqual, constantTimeEqual } from '../../core/signing/constant-time';
import { decodeBase64, decodeHex } from '../../core/signing/encoding';

describe('constantTimeEqual', () => {
  it('compares contents and length', () => {
    expect(constantTimeEqual(Buffer.from('secret'), Buffer.from('secret'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('secret'), Buffer.from('secreT'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('secret'), Buffer.from('secret-longer'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('secret'), Buffer.alloc(0))).toBe(false);
  });
});

describe('anyEqual', () => {
  it('matches any expected value against any presented value', () => {
    const expected = [Buffer.from('a'), Buffer.from('b')];
    expect(anyEqual(expected, [Buffer.from('x'), Buffer.from('b')])).toBe(true);
    expect(anyEqual(expected, [Buffer.from('x')])).toBe(false);
    expect(anyEqual([], [Buffer.from('a')])).toBe(false);
  });
});

describe('strict decoders', () => {
  it('decodeHex refuses odd lengths and non-hex', () => {
    expect(decodeHex('0aff')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(decodeHex('0af')).toBeUndefined();
    expect(decodeHex('zz')).toBeUndefined();
    expect(decodeHex('')).toBeUndefined();
  });

  it('decodeBase64 accepts padded and unpadded canonical base64 only', () => {
    expect(decodeBase64('YWJj')).toEqual(Buffer.from('abc'));
    expect(decodeBase64('YWI=')).toEqual(Buffer.from('ab'));
    expect(decodeBase64('YWI')).toEqual(Buffer.from('ab'));
    expect(decodeBase64('YWJ=')).toBeUndefined(); // non-canonical trailing bits
    expect(decodeBase64('YW I=')).toBeUndefined();
    expect(decodeBase64('YWI==')).toBeUndefined();
    expect(decodeBase64('YWJj-_')).toBeUndefined();
  });
});
