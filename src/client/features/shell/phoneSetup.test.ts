import { describe, expect, it } from 'vitest';
import { classifyAddress, serverAddress } from './phoneSetup';

describe('classifyAddress', () => {
  it('knows loopback addresses a phone cannot reach', () => {
    for (const url of [
      'http://localhost:3124/',
      'http://127.0.0.1:3124/x',
      'https://[::1]:8443/',
      'http://app.localhost/',
    ])
      expect(classifyAddress(new URL(url))).toBe('loopback');
  });

  it('needs HTTPS for a network address', () => {
    expect(classifyAddress(new URL('http://192.168.1.20:3124/'))).toBe('insecure');
    expect(classifyAddress(new URL('https://192.168.1.20:3124/'))).toBe('ready');
    expect(classifyAddress(new URL('https://data.example.org/alice'))).toBe('ready');
  });
});

describe('serverAddress', () => {
  it('is the origin the page was opened at', () => {
    expect(serverAddress(new URL('https://data.example.org:8443/alice/user?x=1'))).toBe(
      'https://data.example.org:8443',
    );
  });
});
