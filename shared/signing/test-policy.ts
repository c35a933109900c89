import * as asn1js from 'asn1js';

/** Certificate policy "baocao local test CA: no legal value" (an OID under 2.25, derived from a UUID). */
export const TEST_POLICY_OID = '2.25.190628210224819205530782946433149383503';
export const LOCAL_ROOT_NAME = 'baocao – CA thử nghiệm cục bộ';
export const TEST_POLICY_DER = Buffer.from(new asn1js.ObjectIdentifier({ value: TEST_POLICY_OID }).toBER());
