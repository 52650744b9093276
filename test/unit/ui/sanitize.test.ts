import { describe, expect, it } from 'vitest';
import { cleanJson, cleanOutput, cleanText } from '../../../src/ui/sanitize.js';

describe('sanitize', () => {
  it('cleanText shows every control character as a visible stand-in', () => {
    expect(cleanText('a\u001b]0;t\u0007b\nc\rd\u007fe\u009bf\u202eg')).toBe('a␛]0;t␇b␊c␍d␡e\ufffdf\ufffdg');
    expect(cleanText('Acme Dental – Zürich')).toBe('Acme Dental – Zürich');
  });

  it('cleanOutput keeps newlines, tabs and our own colours, and nothing else', () => {
    expect(cleanOutput('\u001b[31mError:\u001b[39m x\n\ty')).toBe('\u001b[31mError:\u001b[39m x\n\ty');
    expect(cleanOutput('\u001b[5mblink\u001b[2J\r')).toBe('␛[5mblink␛[2J␍');
  });

  it('cleanJson cleans every string, deeply, and leaves the rest', () => {
    expect(cleanJson({ a: ['x\u001b', 1, null, { b: 'y\n' }], c: true })).toEqual({
      a: ['x␛', 1, null, { b: 'y␊' }],
      c: true,
    });
  });
});
