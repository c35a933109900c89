/**
 * Imported (for its effect) by every handler that sends mail: it puts the mail adapter behind
 * the wiring's Mailer (see ./mail-registry.ts). Part of the wiring: the only other module that
 * knows an adapter class.
 */
import { makeMailer } from './aws/mailer';
import { registerMailer } from './mail-registry';

registerMailer(makeMailer);
