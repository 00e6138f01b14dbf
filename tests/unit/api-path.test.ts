import { describe, expect, it } from 'vitest';
import { joinApiUrl } from '../../electron/auth/provider-client.js';

const base = 'https://api.example.com/v1';

describe('joinApiUrl', () => {
  it('resolves paths under the API base URL', () => {
    expect(joinApiUrl(base, 'user')).toBe('https://api.example.com/v1/user');
    expect(joinApiUrl(base, '/repos/a/b?page=2')).toBe('https://api.example.com/v1/repos/a/b?page=2');
  });

  it.each(['../x', 'a/../../b', './user', 'user%2f..%2f..%2fadmin', 'user%5C..%5Cx', 'a\\..\\b', 'https://evil.example/', 'javascript:alert(1)'])(
    'refuses %s, which could leave the base',
    (path) => {
      expect(() => joinApiUrl(base, path)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    },
  );
});
