/**
 * Imported (for its effect) by the handler that hands out presigned upload forms (api, the only
 * one with a `raw` write in FUNCTION_PROFILES): puts presigned POST behind the blob store (see
 * registerPostPresigner). Part of the wiring, like ./wiring-mail.ts.
 */
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { registerPostPresigner } from './aws/s3-blob-store';

registerPostPresigner(createPresignedPost);
