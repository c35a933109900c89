/**
 * Browser bundle only (esbuild alias zod → this file). shared/domain declares zod schemas at
 * module scope to export the submission format as JSON Schema; validateSubmission itself is
 * hand-written and never calls them. This inert chain lets the same module load in the
 * browser without shipping zod (about 350 kB minified).
 */
// biome-ignore lint/suspicious/noExplicitAny: an inert stand-in for any zod call chain
const inert: any = new Proxy(() => undefined, {
  get: (_target, prop) => (prop === Symbol.toPrimitive ? () => '' : inert),
  apply: () => inert,
});
export const z = inert;
export default inert;
