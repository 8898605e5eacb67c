import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApiUrlFrom, parseAgentEndpoint, readAgentEndpoint } from './agent-endpoint-file.ts';

describe('localApiUrlFrom', () => {
  it.each([
    ['http://127.0.0.1:4317/', 'ws://127.0.0.1:4317/api'],
    ['http://127.0.0.1:4317', 'ws://127.0.0.1:4317/api'],
    ['ws://127.0.0.1:4317/api', 'ws://127.0.0.1:4317/api'],
    ['http://localhost:9/api', 'ws://localhost:9/api'],
    ['https://127.0.0.1:4317/', 'wss://127.0.0.1:4317/api'],
    ['http://[::1]:4317/', 'ws://[::1]:4317/api'],
  ])('turns %s into %s', (url, expected) => {
    expect(localApiUrlFrom(url)).toBe(expected);
  });

  it.each([
    'http://example.com:4317/',
    'http://127.0.0.1.evil.com:4317/',
    'http://user@127.0.0.1:4317/',
    'http://127.0.0.1/',
    'file:///tmp/socket',
    'ftp://127.0.0.1:21/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(localApiUrlFrom(url)).toBeNull();
  });
});

describe('parseAgentEndpoint', () => {
  it('reads url, token and pid and ignores other fields', () => {
    const text = JSON.stringify({ url: 'http://127.0.0.1:4317/', token: 'abc', pid: 99, version: '0.1.0' });
    expect(parseAgentEndpoint(text)).toEqual({ apiUrl: 'ws://127.0.0.1:4317/api', token: 'abc', pid: 99 });
  });

  it.each([
    ['a half-written file', '{"url":"http://127.0.0.1:4317/","tok'],
    ['an empty file', ''],
    ['a missing token', JSON.stringify({ url: 'http://127.0.0.1:1/', pid: 1 })],
    ['a bad pid', JSON.stringify({ url: 'http://127.0.0.1:1/', token: 't', pid: -1 })],
    ['a non-loopback url', JSON.stringify({ url: 'http://10.0.0.5:1/', token: 't', pid: 1 })],
    ['an array', '[]'],
  ])('returns null for %s', (_name, text) => {
    expect(parseAgentEndpoint(text)).toBeNull();
  });
});

describe('readAgentEndpoint', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'idlehive-endpoint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns null when the agent has not written the file', async () => {
    expect(await readAgentEndpoint(path.join(dir, 'agent.json'))).toBeNull();
  });

  it('reads a written file', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, JSON.stringify({ url: 'http://127.0.0.1:5000/', token: 'tok', pid: 7 }));
    expect(await readAgentEndpoint(file)).toEqual({ apiUrl: 'ws://127.0.0.1:5000/api', token: 'tok', pid: 7 });
  });

  it('reports other read errors instead of hiding them', async () => {
    await expect(readAgentEndpoint(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
