/**
 * The one browser bundle (/assets/form.js): the invite form when the page carries its
 * configuration, the compiler's generic upload form otherwise. Both upload through upload-client.ts.
 */
import { startOperatorUpload } from './operator-upload';

const operatorForm = document.getElementById('upload');
if (document.getElementById('form-config')) void import('./form-client');
else if (operatorForm instanceof HTMLFormElement) startOperatorUpload(operatorForm);
