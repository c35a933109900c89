import { releaseReport } from '../shared/app/release';
import { defaultDeps } from '../shared/aws/deps';
import { RunInput } from './validate';

export function makeHandler(deps: () => Parameters<typeof releaseReport>[0]) {
  return async (event: unknown) => releaseReport(deps(), RunInput.parse(event));
}

export const handler = makeHandler(defaultDeps);
