import { describe, expect, it } from 'vitest';
import { registeredSigning, registerSigning } from '../../shared/adapters/signing-registry';
import { organization } from '../../shared/config';
import type { PdfSignatures, SigningKeys } from '../../shared/features/signing/ports';

const person = { kind: 'person', organizationId: organization.id, personId: 'pgd' } as const;

describe('signing adapters behind the wiring (shared/adapters/signing-registry.ts)', () => {
  it('says what is missing in a handler that never registered them, and uses them once a signing handler has', async () => {
    // Built before any registration, as the local runtime's shared dependencies may be.
    const early = registeredSigning(organization, {});
    expect(() => early.keys.provider(person)).toThrow(/import shared\/adapters\/wiring-signing/);
    await expect(early.pades.verify(Buffer.from('%PDF-'), [])).rejects.toThrow(/rendersPdf in FUNCTION_PROFILES/);

    const roots = [new Uint8Array([7])];
    const made: string[] = [];
    const keys = (org: typeof organization): SigningKeys => {
      made.push(org.id);
      return {
        provider: () => {
          throw new Error('not used');
        },
        image: async () => undefined,
        trustedRoots: async () => roots,
      };
    };
    const pades = { verify: async () => [] } as unknown as PdfSignatures;
    registerSigning({ keys, pades });

    expect(await early.keys.trustedRoots()).toBe(roots);
    await early.keys.trustedRoots();
    expect(made).toEqual([organization.id]); // one SigningKeys per scope, made on first use
    expect(await early.pades.verify(Buffer.from('%PDF-'), roots)).toEqual([]);
    // Built after registration: the adapter's own ports, made at once.
    expect(registeredSigning(organization, {}).pades).toBe(pades);
    expect(made).toEqual([organization.id, organization.id]);
  });
});
