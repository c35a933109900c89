/** The document model beside its .docx in the embedded S3: keys by the adapter, missing reads as undefined. */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import { type LocalS3, startLocalS3 } from '../../infra/local/s3';
import { documentModelKey, S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import { buildDocument } from '../../shared/document/build';
import { sampleAnnualAggregate, sampleOrganization, sampleTemplate } from '../support/sample-report';

let s3: LocalS3;
let store: S3BlobStore;

beforeAll(async () => {
  s3 = await startLocalS3({ bucket: 'baocao-local', keyMatches: () => false, onObjectCreated: () => {} });
  const client = new S3Client({ endpoint: s3.url, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  store = new S3BlobStore('baocao-local', client, { orgId: 'dongnai-sct', reportType: 'cchc' });
});
afterAll(async () => {
  await s3?.stop();
});

describe('document models beside their documents', () => {
  it('names a draft model after its version folder and a released one after its file', () => {
    expect(documentModelKey('drafts/r1/v2/du-thao-lan-2.docx')).toBe('drafts/r1/v2.model.json');
    expect(documentModelKey('released/2021/01-BC-SCT.docx')).toBe('released/2021/01-BC-SCT.model.json');
  });

  it('stores and reads back the same model; a document without one reads as undefined', async () => {
    const model = buildDocument({
      template: sampleTemplate,
      report: sampleAnnualAggregate(),
      organization: sampleOrganization,
      mode: 'draft',
      version: 2,
    });
    await store.putModel('drafts/r1/v2/du-thao.docx', model);
    expect(await store.getModel('drafts/r1/v2/du-thao.docx')).toEqual(model);
    expect((await store.get('drafts/r1/v2.model.json')).length).toBeGreaterThan(1000);
    expect(await store.getModel('drafts/r1/v3/du-thao.docx')).toBeUndefined();
  });
});
