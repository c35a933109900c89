import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeMailer } from '../../../shared/adapters/aws/mailer';
import { readEnv } from '../../../shared/adapters/env';

const ses = mockClient(SESv2Client);
const message = { to: ['phong@example.gov.vn'], subject: 'Báo cáo quý', text: 'Nội dung', html: '<p>Nội dung</p>' };

describe('SES mailer and its configuration set', () => {
  afterEach(() => ses.reset());

  it('sends under the configuration set when one is configured', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await makeMailer({ transport: 'ses', from: 'baocao@example.gov.vn', configurationSet: 'baocao-mail' }).send(message);
    const [call] = ses.commandCalls(SendEmailCommand);
    expect(call.args[0].input.ConfigurationSetName).toBe('baocao-mail');
    expect(call.args[0].input.Destination?.ToAddresses).toEqual(['phong@example.gov.vn']);
  });

  it('sends the subject, text and HTML as UTF-8 simple content (no MIME builder in the bundle)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-3' });
    const sent = await makeMailer({ transport: 'ses', from: 'baocao@example.gov.vn' }).send({
      ...message,
      subject: 'Mời nộp số liệu quý I',
    });
    const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
    expect(sent.messageId).toBe('m-3');
    expect(input.FromEmailAddress).toBe('baocao@example.gov.vn');
    expect(input.Content?.Simple).toEqual({
      Subject: { Data: 'Mời nộp số liệu quý I', Charset: 'UTF-8' },
      Body: { Text: { Data: 'Nội dung', Charset: 'UTF-8' }, Html: { Data: '<p>Nội dung</p>', Charset: 'UTF-8' } },
    });
  });

  it('omits it when none is configured', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    await makeMailer({ transport: 'ses', from: 'baocao@example.gov.vn' }).send(message);
    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input.ConfigurationSetName).toBeUndefined();
  });

  it('reads MAIL_CONFIGURATION_SET from the environment', () => {
    const base = { TABLE_NAME: 't', BUCKET_NAME: 'b', MAIL_FROM: 'baocao@example.gov.vn' };
    expect(readEnv({ ...base, MAIL_CONFIGURATION_SET: 'baocao-mail' }).MAIL_CONFIGURATION_SET).toBe('baocao-mail');
    expect(readEnv(base).MAIL_CONFIGURATION_SET).toBeUndefined();
  });
});
