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
// Shared modules import zod as a namespace (`import * as z from 'zod'`, which lets the Lambda
// bundles drop zod's unused parts): each member they call must exist here too.
export const {
  any,
  array,
  boolean,
  coerce,
  custom,
  discriminatedUnion,
  enum: zEnum,
  int,
  lazy,
  literal,
  never,
  null: zNull,
  nullable,
  number,
  object,
  optional,
  preprocess,
  record,
  string,
  toJSONSchema,
  tuple,
  union,
  unknown,
} = inert;
export { zEnum as enum, zNull as null };
