import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { rotateApiToken } from '../../agent/local-api/api-token.ts';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import {
  LOCAL_API_PROTOCOL,
  MAX_MESSAGE_BYTES,
  type Status,
  TOKEN_CHECK_HEADER,
  TOKEN_CHECK_PATH,
} from '../../agent/local-api/contract.ts';
import { type AgentProcess, makeTempHome, runCliSync, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { collectFrames, openRaw } from '../support/raw-socket.ts';

let agent: AgentProcess;
const opened: LocalApiConnection[] = [];

async function connect(): Promise<LocalApiConnection> {
  const api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  opened.push(api);
  return api;
}

beforeAll(async () => {
  agent = await startAgentProcess(makeTempHome());
});

afterAll(async () => {
  for (const api of opened) api.close();
  await agent.stop();
});

describe('the endpoint file', () => {
  it('is readable by the owner alone and holds a 256-bit token', () => {
    const mode = fs.statSync(`${agent.home}/agent.json`).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(agent.endpoint.token).toMatch(/^[0-9a-f]{64}$/);
  });
  it('binds the API to loopback only', () => {
    expect(agent.endpoint.apiUrl).toBe(`ws://127.0.0.1:${agent.endpoint.port}/api`);
  });
});

describe('connection checks', () => {
  it('refuses a missing token with 401', async () => {
    const result = await openRaw(agent.endpoint.apiUrl, { protocols: [LOCAL_API_PROTOCOL] });
    expect(result.httpStatus).toBe(401);
    expect(JSON.parse(result.body).error.code).toBe('missing_token');
  });
  it('refuses a wrong token with 401', async () => {
    const result = await openRaw(agent.endpoint.apiUrl, { token: 'f'.repeat(64) });
    expect(result.httpStatus).toBe(401);
    expect(JSON.parse(result.body).error.code).toBe('wrong_token');
  });
  it('refuses a foreign Host (DNS rebinding) with 403 even with the right token', async () => {
    const result = await openRaw(agent.endpoint.apiUrl, {
      token: agent.endpoint.token,
      host: `evil.example:${agent.endpoint.port}`,
    });
    expect(result.httpStatus).toBe(403);
    expect(JSON.parse(result.body).error.code).toBe('foreign_host');
  });
  it('refuses a foreign browser Origin with 403 even with the right token', async () => {
    const result = await openRaw(agent.endpoint.apiUrl, {
      token: agent.endpoint.token,
      origin: 'https://evil.example',
    });
    expect(result.httpStatus).toBe(403);
    expect(JSON.parse(result.body).error.code).toBe('foreign_origin');
  });
  it("accepts the dashboard's own origin", async () => {
    const result = await openRaw(agent.endpoint.apiUrl, {
      token: agent.endpoint.token,
      origin: `http://127.0.0.1:${agent.endpoint.port}`,
    });
    expect(result.httpStatus).toBe(101);
    expect(result.socket?.protocol).toBe(LOCAL_API_PROTOCOL);
    result.socket?.close();
  });
  it('refuses a foreign Host for the dashboard page too', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(agent.endpoint.dashboardUrl, { headers: { Host: `evil.example:${agent.endpoint.port}` } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
        .on('error', reject);
    });
    expect(status).toBe(403);
  });
});

describe('the token check for browsers', () => {
  const check = (token: string, headers: Record<string, string> = {}) =>
    fetch(new URL(TOKEN_CHECK_PATH, agent.endpoint.dashboardUrl), {
      headers: { [TOKEN_CHECK_HEADER]: token, ...headers },
    });
  it('says 200 for the right token and 401 with a reason for a wrong one', async () => {
    expect((await check(agent.endpoint.token)).status).toBe(200);
    const wrong = await check('0'.repeat(64));
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('wrong_token');
  });
  it('refuses foreign origins like the WebSocket does', async () => {
    expect((await check(agent.endpoint.token, { Origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('malformed messages', () => {
  it('answers each with a clear error and keeps the connection usable', async () => {
    const { socket } = await openRaw(agent.endpoint.apiUrl, { token: agent.endpoint.token });
    if (!socket) throw new Error('could not connect');
    const frames = collectFrames(socket);
    const replyCount = () => frames.filter((f) => typeof f === 'object' && f !== null && 'error' in f).length;
    socket.send('this is not json');
    socket.send(JSON.stringify({ id: 1, method: 'status.get', params: { extra: true } }));
    socket.send(JSON.stringify({ id: 2, method: 'no.such.method' }));
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 10));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => (replyCount() >= 5 ? true : null), 5000, 'five error replies');
    const codes = frames
      .filter(
        (f): f is { error: { code: string; message: string } } => typeof f === 'object' && f !== null && 'error' in f,
      )
      .map((f) => f.error.code);
    // Replies carry the request id; their order is not part of the contract.
    expect(codes.sort()).toEqual(
      ['invalid_params', 'malformed_json', 'malformed_json', 'message_too_large', 'unknown_method'].sort(),
    );
    socket.send(JSON.stringify({ id: 3, method: 'status.get' }));
    await waitFor(
      () => frames.find((f) => (f as { id?: number }).id === 3 && 'result' in (f as object)),
      5000,
      'status',
    );
    socket.close();
  });
});

describe('pause and resume', () => {
  it('pauses with an expiry that the agent enforces by itself and pushes', async () => {
    const api = await connect();
    const events: Status[] = [];
    api.on('status', (status) => events.push(status));
    const paused = await api.call('control.override', { request: { kind: 'pause-for', durationSeconds: 1 } });
    expect(paused.state).toBe('paused');
    expect(paused.override?.until).toBeGreaterThan(Date.now());
    const resumed = await waitFor(
      () => events.find((s) => s.state !== 'paused' && s.since >= (paused.override?.until ?? 0)),
      5000,
      'the pause to expire',
    );
    expect(resumed.override).toBeNull();
    expect((await api.call('status.get', {})).state).toBe(resumed.state);
  });
  it('pauses until resumed, and resume ends it', async () => {
    const api = await connect();
    const paused = await api.call('control.override', { request: { kind: 'pause-until-resumed' } });
    expect(paused.override).toMatchObject({ kind: 'pause', until: null });
    const status = await api.call('control.resume', {});
    expect(status.state).not.toBe('paused');
    expect(status.override).toBeNull();
  });
  it('refuses a negative or fractional duration with the field named', async () => {
    const api = await connect();
    await expect(
      api.call('control.override', { request: { kind: 'pause-for', durationSeconds: -1 } }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('durationSeconds'),
    });
    await expect(
      api.call('control.override', { request: { kind: 'pause-for', durationSeconds: 1.5 } }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('pushed events', () => {
  it('reach two clients at once when the CLI pauses', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const seenA: Status[] = [];
    const seenB: Status[] = [];
    a.on('status', (s) => seenA.push(s));
    b.on('status', (s) => seenB.push(s));
    const cli = runCliSync(agent.home, ['pause', '--for', '10m']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('Idlehive is paused');
    await waitFor(() => (seenA.some((s) => s.state === 'paused') ? true : null), 5000, 'client A event');
    await waitFor(() => (seenB.some((s) => s.state === 'paused') ? true : null), 5000, 'client B event');
    expect(runCliSync(agent.home, ['resume']).status).toBe(0);
  });
});

describe('restart', () => {
  it('keeps settings and an open-ended pause, and shuts down cleanly on SIGTERM', async () => {
    const home = makeTempHome();
    const first = await startAgentProcess(home);
    const api = await connectLocalApi({ url: first.endpoint.apiUrl, token: first.endpoint.token });
    await api.call('settings.set', { patch: { theme: 'dark', coordinatorUrl: 'https://coordinator.example' } });
    await api.call('control.override', { request: { kind: 'pause-until-resumed' } });
    api.close();
    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(`${home}/agent.json`)).toBe(false);

    const second = await startAgentProcess(home);
    const again = await connectLocalApi({ url: second.endpoint.apiUrl, token: second.endpoint.token });
    expect(await again.call('settings.get', {})).toMatchObject({
      theme: 'dark',
      coordinatorUrl: 'https://coordinator.example',
    });
    expect((await again.call('status.get', {})).state).toBe('paused');
    again.close();
    await second.stop();
  });
  it('refuses a second agent on the same home while the first runs', () => {
    const second = runCliSync(agent.home, ['agent']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already running/);
  });
  it('keeps its per-install token across a restart, and a rotated token locks the old one out', async () => {
    const home = makeTempHome();
    const first = await startAgentProcess(home);
    const oldToken = first.endpoint.token;
    await first.kill();
    const second = await startAgentProcess(home);
    expect(second.endpoint.token).toBe(oldToken);
    await second.stop();
    rotateApiToken(homeLayout(home).apiTokenFile);
    const third = await startAgentProcess(home);
    const result = await openRaw(third.endpoint.apiUrl, { token: oldToken });
    expect(result.httpStatus).toBe(401);
    await third.stop();
  });
});

describe('the CLI without an agent', () => {
  it('says so in one line and exits non-zero', () => {
    const result = runCliSync(makeTempHome(), ['status']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/No Idlehive agent is running/);
  });
  it('explains a bad duration before contacting anything', () => {
    const result = runCliSync(makeTempHome(), ['pause', '--for', 'soon']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('30m, 2h');
  });
});
