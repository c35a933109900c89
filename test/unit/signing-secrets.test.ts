/**
 * Remote signing credentials on AWS: the Secrets Manager secret `<prefix><secretName>` the
 * organization names, read on first use and kept 5 minutes; locally the environment variable.
 * The real SDK client with aws-sdk-client-mock: nothing leaves the machine.
 */
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteAccountSource, SecretsManagerAccounts } from '../../shared/adapters/signing/csc-secrets';

const sm = mockClient(SecretsManagerClient);
const ref = { baseUrl: 'https://rs.ca.example.vn/csc/v1', credentialId: 'cred-1', secretName: 'stp-giam-doc' };
const secret = JSON.stringify({ clientId: 'c', clientSecret: 's', userId: 'u' });

afterEach(() => sm.reset());

describe('remote signing credentials from Secrets Manager', () => {
  it('reads the named secret under the prefix and keeps it 5 minutes, then reads it again (rotation)', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'baocao/signing/stp-giam-doc' }).resolves({ SecretString: secret });
    let now = 0;
    const accounts = new SecretsManagerAccounts(
      'baocao/signing/',
      async () => new SecretsManagerClient({ region: 'ap-southeast-1' }),
      () => now,
    );
    expect(await accounts.account(ref)).toEqual({
      baseUrl: ref.baseUrl,
      credentialId: 'cred-1',
      clientId: 'c',
      clientSecret: 's',
      userId: 'u',
    });
    now = 4 * 60_000;
    await accounts.account(ref);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 5 * 60_000 + 1;
    await accounts.account(ref);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('names the secret in Vietnamese when it is missing or not the expected JSON', async () => {
    const client = async () => new SecretsManagerClient({ region: 'ap-southeast-1' });
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(new SecretsManagerAccounts('baocao/signing/', client).account(ref)).rejects.toThrow(
      /bí mật "baocao\/signing\/stp-giam-doc" \(AWS Secrets Manager\) cần clientId, clientSecret và userId/,
    );
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"clientId":"c"}' });
    await expect(new SecretsManagerAccounts('baocao/signing/', client).account(ref)).rejects.toThrow(
      /cần clientId, clientSecret và userId/,
    );
  });

  it('does not keep a failed read: the next call asks again', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: secret });
    const accounts = new SecretsManagerAccounts('baocao/signing/', async () => new SecretsManagerClient({ region: 'ap-southeast-1' }));
    await expect(accounts.account(ref)).rejects.toThrow('throttled');
    expect((await accounts.account(ref)).clientId).toBe('c');
  });

  it('reads the environment variable when no prefix is set (the local runtime), and never Secrets Manager', async () => {
    const source = remoteAccountSource({ 'stp-giam-doc': secret });
    expect((await source(ref)).userId).toBe('u');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
