import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback, regionOf, Sha256, signedHeaders } from '../../infra/cli/sigv4';

describe('CLI request signing for a deployed API', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('computes the AWS SigV4 test-suite signature (get-vanilla) with the Node crypto checksum', async () => {
    const signer = new SignatureV4({
      service: 'service',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      { method: 'GET', protocol: 'https:', hostname: 'example.amazonaws.com', path: '/', headers: { host: 'example.amazonaws.com' } },
      { signingDate: new Date('2015-08-30T12:36:00Z') },
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs /api requests for execute-api in the region of the API host', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const url = new URL('https://abc123.execute-api.ap-southeast-1.amazonaws.com/api/reports');
    const headers = await signedHeaders(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"periodId":"2021"}',
    });
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/ap-southeast-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('never signs the local system and reads the region from the API host', () => {
    expect(isLoopback(new URL('http://127.0.0.1:3000/api/reports'))).toBe(true);
    expect(isLoopback(new URL('https://abc.execute-api.eu-west-1.amazonaws.com/api'))).toBe(false);
    expect(regionOf(new URL('https://abc.execute-api.eu-west-1.amazonaws.com/api'))).toBe('eu-west-1');
  });
});
