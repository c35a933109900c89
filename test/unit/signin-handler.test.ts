import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import { ddb, deps, httpEvent, NOW } from './handlers-harness';

describe('api handler: compiler sign-in (AWS, no local bypass)', () => {
  it('mails a single-use link only to the compiler, with the same answer for anyone', async () => {
    const d = deps();
    const other = await makeApi(() => d)(httpEvent('POST', '/signin', 'email=ke.la%40x.example'));
    const compiler = await makeApi(() => d)(
      httpEvent('POST', '/signin', `email=${encodeURIComponent(organization.compiler.email.toUpperCase())}`),
    );
    expect(other.body).toBe(compiler.body);
    expect(d.sent.map((m) => m.to)).toEqual([[organization.compiler.email]]);
    const secret = /\/signin\/([A-Za-z0-9_-]+)/.exec(d.sent[0].text)?.[1] ?? '';
    const stored = ddb
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((i) => String(i?.pk).startsWith('SIGNIN#'));
    expect(stored).toMatchObject({ pk: `SIGNIN#${sha256(secret)}`, kind: 'link', status: 'pending' });
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('GET on the link only shows a button; POST opens an HttpOnly, Secure, SameSite=Strict session', async () => {
    const link = {
      pk: 'x',
      sk: 'AUTH',
      kind: 'link',
      email: organization.compiler.email,
      expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
      status: 'pending',
    };
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('s1')}`, sk: 'AUTH' } }).resolves({ Item: link });
    const view = await makeApi(deps)(httpEvent('GET', '/signin/s1'));
    expect(view.statusCode).toBe(200);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);

    const done = await makeApi(deps)(httpEvent('POST', '/signin/s1'));
    expect(done.statusCode).toBe(302);
    expect(done.cookies?.[0]).toMatch(/^bc_session=[A-Za-z0-9_-]{40,}; Path=\/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict$/);
    const consume = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === `SIGNIN#${sha256('s1')}`);
    expect(consume?.args[0].input.ConditionExpression).toBe('#s = :pending');
  });

  it('refuses a used link', async () => {
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('s2')}`, sk: 'AUTH' } }).resolves({
      Item: { pk: 'x', sk: 'AUTH', kind: 'link', email: 'a', expiresAt: new Date(NOW.getTime() + 600_000).toISOString(), status: 'used' },
    });
    const res = await makeApi(deps)(httpEvent('POST', '/signin/s2'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('đã được sử dụng');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('sends a visitor without a session from an operator page to the sign-in, and lets a session through', async () => {
    const anonymous = await makeApi(deps)(httpEvent('GET', '/periods/2021'));
    expect(anonymous).toMatchObject({ statusCode: 302, headers: { location: '/signin' } });

    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('sess')}`, sk: 'AUTH' } }).resolves({
      Item: {
        pk: 'x',
        sk: 'AUTH',
        kind: 'session',
        email: organization.compiler.email,
        expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
        status: 'active',
      },
    });
    ddb.on(QueryCommand).resolves({ Items: [] });
    const signedIn = await makeApi(deps)(httpEvent('GET', '/periods/2021', undefined, ['bc_session=sess']));
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toContain('Tình hình nộp số liệu');

    const expired = {
      pk: 'x',
      sk: 'AUTH',
      kind: 'session',
      email: 'a',
      expiresAt: new Date(NOW.getTime() - 1).toISOString(),
      status: 'active',
    };
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('old')}`, sk: 'AUTH' } }).resolves({ Item: expired });
    expect((await makeApi(deps)(httpEvent('GET', '/periods/2021', undefined, ['bc_session=old']))).statusCode).toBe(302);
  });
});
