/**
 * A link under the public base (PUBLIC_BASE_URL): exactly one slash between the base and the path,
 * whether the base ends in "/" (a custom domain, an API stage URL) or not, so an emailed link never
 * reads `…amazonaws.com//decision/…`.
 */
export function publicUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
