import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/central/redact.js';

describe('redact', () => {
  it('replaces given secret values of 6+ characters', () => {
    expect(redact('token s3cr3tvalue and s3cr3tvalue', ['s3cr3tvalue'])).toBe('token *** and ***');
    expect(redact('abc stays', ['abc'])).toBe('abc stays');
    expect(redact('x', [undefined, ''])).toBe('x');
  });
  it('replaces the URL-encoded form too', () => {
    expect(redact('?x=a%2Bb%2Fc%3D', ['a+b/c='])).toBe('?x=***');
  });
  it('masks Authorization: Bearer', () => {
    expect(redact('Authorization: Bearer eyJhbGciOi.abc-def')).toBe('Authorization: Bearer ***');
    expect(redact('authorization=Bearer xyz')).toBe('authorization=Bearer ***');
    expect(redact('a bearer token expired')).toBe('a bearer token expired');
  });
  it('masks secret query parameters', () => {
    const out = redact(
      'POST https://h/oauth2/token?client_id=abc&client_secret=S1&grant_type=refresh_token&refresh_token=R1&code=C1&password=P1&access_token=A1',
    );
    expect(out).toBe(
      'POST https://h/oauth2/token?client_id=abc&client_secret=***&grant_type=refresh_token&refresh_token=***&code=***&password=***&access_token=***',
    );
    expect(redact('?error_code=0001')).toBe('?error_code=0001');
  });
  it('masks JSON fields', () => {
    const out = redact(
      '{"access_token":"A","refresh_token": "R","client_secret":"S","password":"P\\"q","auth_code":"C","token_type":"bearer"}',
    );
    expect(out).toBe(
      '{"access_token":"***","refresh_token": "***","client_secret":"***","password":"***","auth_code":"***","token_type":"bearer"}',
    );
  });
  it('masks csrftoken and session cookies', () => {
    expect(redact('Set-Cookie: csrftoken=abc123; Path=/, session=xyz789; HttpOnly')).toBe(
      'Set-Cookie: csrftoken=***; Path=/, session=***; HttpOnly',
    );
  });
});
