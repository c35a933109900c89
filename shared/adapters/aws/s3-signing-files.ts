import type { SigningFileName, SigningFiles } from '../../features/signing/ports';
import type { BlobStore } from '../../ports';

/**
 * The PDFs of a report in the course of signing, under the signing/ prefix of the reports bucket
 * (scoped by organization and report type like every key): signing/<org>/<type>/<reportId>/<name>.
 * The released original is written by Release under released/, beside the .docx.
 */
export class S3SigningFiles implements SigningFiles {
  constructor(private readonly blobs: Pick<BlobStore, 'put' | 'get' | 'presignGet'>) {}

  static key(reportId: string, name: SigningFileName): string {
    return `signing/${reportId}/${name}${name.endsWith('prepared') || name.startsWith('prepared-') ? '.json' : '.pdf'}`;
  }

  async putSigningFile(reportId: string, name: SigningFileName, body: Buffer, contentType: string): Promise<void> {
    await this.blobs.put(S3SigningFiles.key(reportId, name), body, contentType);
  }

  getSigningFile(reportId: string, name: SigningFileName): Promise<Buffer> {
    return this.blobs.get(S3SigningFiles.key(reportId, name));
  }

  presignSigningFile(reportId: string, name: SigningFileName, seconds: number, downloadName: string): Promise<string> {
    return this.blobs.presignGet(S3SigningFiles.key(reportId, name), seconds, downloadName);
  }
}
