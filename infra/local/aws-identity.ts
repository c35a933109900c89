/**
 * Who the local system is, as AWS would name it: one region, one account, one partition and one
 * credential pair for every local client, ARN and event. The region is a placeholder rather than
 * a real one so a local ARN can never be mistaken for a deployed resource.
 */

export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';
/** s3rver only accepts S3RVER/S3RVER; dynalite and the local Step Functions endpoint accept anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
